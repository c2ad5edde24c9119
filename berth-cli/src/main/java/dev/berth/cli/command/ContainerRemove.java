package dev.berth.cli.command;

import dev.berth.api.client.HttpRequest;
import dev.berth.cli.http.EngineClient;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import java.util.List;
import java.util.Map;

/**
 * {@code berth rm [-f] CONTAINER...}: {@code DELETE /containers/X?force=}. With {@code -f} the
 * daemon kills a running process (SIGKILL) first. Removed names are echoed as typed; failures
 * go to stderr and the command ends with {@code exit status 1}.
 */
public final class ContainerRemove extends LeafCommand {

    public ContainerRemove() {
        super("rm", "Remove one or more sandboxes", Usage.atLeast(1, "[OPTIONS] CONTAINER [CONTAINER...]"));
    }

    @Override
    protected Flags flags() {
        return new Flags().bool("force", 'f', "Force the removal of a running sandbox (uses SIGKILL)");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        EngineClient engine = invocation.engine();
        Map<String, List<String>> query = options.bool("force") ? Map.of("force", List.of("1")) : Map.of();
        DaemonCalls.forEachName(invocation, options.positional(), name -> {
            engine.send(HttpRequest.of("DELETE", engine.target("/containers/" + PathSegment.escape(name), query)));
            invocation.out().println(name);
        });
        return 0;
    }
}
