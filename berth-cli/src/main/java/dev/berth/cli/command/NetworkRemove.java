package dev.berth.cli.command;

import dev.berth.cli.shell.Flags;
import dev.berth.cli.format.JsonTree;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import dev.berth.cli.http.ConnectionFailure;
import dev.berth.cli.http.DaemonError;
import dev.berth.cli.http.EngineClient;
import java.util.Map;

/**
 * {@code berth network rm}: per argument, {@code GET /networks/X} (an ingress network asks for
 * confirmation first) then {@code DELETE /networks/X}, even when the GET failed. Removed names are
 * echoed as typed; failures go to stderr and the command ends with {@code exit status 1}.
 * {@code -f} silences only "not found" (404) answers.
 */
public final class NetworkRemove extends LeafCommand {

    static final String INGRESS_WARNING = "WARNING! Before removing the routing-mesh network, "
            + "make sure all the nodes in your swarm run the same docker engine version. "
            + "Otherwise, removal may not be effective and functionality of newly create "
            + "ingress networks will be impaired.\nAre you sure you want to continue?";

    public NetworkRemove() {
        super("rm", "Remove one or more networks", Usage.atLeast(1, "NETWORK [NETWORK...]"), "remove");
    }

    @Override
    protected Flags flags() {
        return new Flags().bool("force", 'f', "Do not error if the network does not exist");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        EngineClient engine = invocation.engine();
        DaemonCalls.forEachName(invocation, options.positional(), name -> {
            String path = "/networks/" + PathSegment.escape(name);
            if (isIngress(invocation, engine, path) && !Confirmation.ask(invocation, INGRESS_WARNING)) {
                return;
            }
            try {
                engine.delete(path);
            } catch (DaemonError e) {
                if (options.bool("force") && e.status() == 404) {
                    return;
                }
                throw e;
            }
            invocation.out().println(name);
        });
        return 0;
    }

    private static boolean isIngress(Invocation invocation, EngineClient engine, String path) {
        try {
            return JsonTree.read(engine.get(path, Map.of())).path("Ingress").asBoolean(false);
        } catch (DaemonError | ConnectionFailure | java.io.IOException e) {
            return false;
        }
    }
}
