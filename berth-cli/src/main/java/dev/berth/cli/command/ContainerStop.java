package dev.berth.cli.command;

import dev.berth.api.client.HttpRequest;
import dev.berth.cli.http.ConnectionFailure;
import dev.berth.cli.http.DaemonError;
import dev.berth.cli.http.EngineClient;
import dev.berth.cli.shell.CommandFailure;
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
 * failures go to stderr together at the end, and the status is 1. {@code berth uninstall}
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
        // as docker stop (errors.Join): each failure is kept, the other names still stopped, and the
        // failures printed together at the end, without rm's "exit status 1"
        List<String> failures = new java.util.ArrayList<>();
        for (String name : options.positional()) {
            try {
                engine.send(HttpRequest.of("POST", engine.target("/containers/" + PathSegment.escape(name) + "/stop", query)));
                invocation.out().println(name);
            } catch (DaemonError | ConnectionFailure e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new CommandFailure(String.join("\n", failures), 1);
        }
        return 0;
    }
}
