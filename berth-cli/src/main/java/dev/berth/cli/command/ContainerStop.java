package dev.berth.cli.command;

import dev.berth.api.client.HttpRequest;
import dev.berth.cli.http.EngineClient;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code berth stop [-s SIGNAL] [-t N] CONTAINER...}: {@code POST /containers/X/stop}, as docker
 * stop: the stop signal, then SIGKILL after the timeout. Stopped names are echoed as typed;
 * failures go to stderr and the command ends with {@code exit status 1}. {@code berth uninstall}
 * stops running containers through it.
 */
public final class ContainerStop extends LeafCommand {

    public ContainerStop() {
        super("stop", "Stop one or more running sandboxes", Usage.atLeast(1, "[OPTIONS] CONTAINER [CONTAINER...]"));
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .string("signal", 's', "string", "Signal to send to the container")
                .string("timeout", 't', "int", "Seconds to wait before killing the container");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        EngineClient engine = invocation.engine();
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (options.given("signal")) {
            query.put("signal", List.of(options.string("signal", "")));
        }
        if (options.given("timeout")) {
            String t = options.string("timeout", "");
            if (!t.matches("-?\\d{1,9}")) {
                throw invalidFlag(invocation, "invalid argument \"" + t + "\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \""
                        + t + "\": invalid syntax");
            }
            query.put("t", List.of(t));
        }
        DaemonCalls.forEachName(invocation, options.positional(), name -> {
            engine.send(HttpRequest.of("POST", engine.target("/containers/" + PathSegment.escape(name) + "/stop", query)));
            invocation.out().println(name);
        });
        return 0;
    }
}
