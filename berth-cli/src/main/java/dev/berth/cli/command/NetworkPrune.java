package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import dev.berth.cli.http.EngineClient;
import java.util.List;
import java.util.Map;

/**
 * {@code berth network prune}: asks for confirmation unless {@code -f}, then
 * {@code POST /networks/prune} (no body) with the filters passed on raw ({@code until=1h} is the
 * daemon's to interpret), and lists the deleted networks' names followed by a blank line, as
 * docker prints them.
 */
public final class NetworkPrune extends LeafCommand {

    static final String WARNING = "WARNING! This will remove all custom networks not used by at least one container.\n"
            + "Are you sure you want to continue?";

    private static final FilterFlag FILTER = new FilterFlag('\0', "Provide filter values (e.g. \"until=<timestamp>\")");

    public NetworkPrune() {
        super("prune", "Remove all unused networks", Usage.optionsOnly());
    }

    @Override
    protected Flags flags() {
        return FILTER.addTo(new Flags())
                .bool("force", 'f', "Do not prompt for confirmation");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        Map<String, List<String>> query = FILTER.query(options, invocation.path());
        EngineClient engine = invocation.engine();
        if (EngineClient.lessThan(engine.apiVersion(), "1.25")) {
            throw new CommandFailure(invocation.path() + " requires API version 1.25, but the Berth daemon API version is "
                    + engine.apiVersion(), 1);
        }
        if (!options.bool("force") && !Confirmation.ask(invocation, WARNING)) {
            return 0;
        }
        JsonNode report = engine.post("/networks/prune", query);
        JsonNode deleted = report.path("NetworksDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            StringBuilder out = new StringBuilder("Deleted Networks:\n");
            deleted.forEach(name -> out.append(name.asText()).append('\n'));
            invocation.out().println(out);
        }
        return 0;
    }
}
