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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    /** docker's parallelOperation runs at most 50 at a time. */
    private static final int PARALLEL = 50;

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
        // as docker stop: the containers are stopped in parallel (at most 50 at a time), the names
        // echoed and the failures kept in the order given, the failures printed together at the end
        // (errors.Join), without rm's "exit status 1". The ping goes first, once.
        engine.apiVersion();
        List<String> names = options.positional();
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService stops = Executors.newFixedThreadPool(Math.min(PARALLEL, names.size()),
                Thread.ofVirtual().name("berth-stop").factory())) {
            for (String name : names) {
                results.add(stops.submit(() -> {
                    try {
                        engine.send(HttpRequest.of("POST",
                                engine.target("/containers/" + PathSegment.escape(name) + "/stop", query)));
                        return null;
                    } catch (DaemonError | ConnectionFailure e) {
                        return e.getMessage();
                    }
                }));
            }
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String failure = outcome(results.get(i));
                if (failure == null) {
                    invocation.out().println(names.get(i));
                } else {
                    failures.add(failure);
                }
            }
            if (!failures.isEmpty()) {
                throw new CommandFailure(String.join("\n", failures), 1);
            }
        }
        return 0;
    }

    private static String outcome(Future<String> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
