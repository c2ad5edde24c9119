package dev.berth.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.HttpRequest;
import dev.berth.api.client.ResponseStream;
import dev.berth.cli.format.JsonTree;
import dev.berth.cli.http.ConnectionFailure;
import dev.berth.cli.http.EngineClient;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code berth run [OPTIONS] [--] COMMAND [ARG...]}: {@code POST /containers/create} with
 * {@code Cmd}, then {@code /start}. Detached ({@code -d}) it prints the id; attached it streams
 * {@code /logs?follow=1} (stdout and stderr, both to stdout: Berth's log is not multiplexed), then
 * {@code /wait}s and exits with the command's status. All networks go in
 * {@code NetworkingConfig.EndpointsConfig} of the one create request (the daemon joins them
 * atomically); the first is the {@code NetworkMode} and takes {@code --ip}, {@code --ip6} and
 * {@code --network-alias}.
 *
 * <p>{@code --rm} attached is done by the client (remove after wait), so the exit status can be
 * read before the sandbox goes; detached, the daemon removes it when the process exits. Errors
 * before the command runs exit with 125, like docker. The output is streamed only while the
 * daemon lives: when it stops or crashes the stream ends, this CLI exits with 125 saying so, and
 * the process goes on (its output still goes to its log, its status shows once the daemon is
 * back); an attached {@code --rm} sandbox then stays until removed.
 */
public final class RunCommand extends LeafCommand {
    static final int RUN_FAILED = 125;

    public RunCommand() {
        super("run", "Create and run a new sandbox from a command", Usage.commandLine(1, "[OPTIONS] [--] COMMAND [ARG...]"));
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .bool("detach", 'd', "Run sandbox in background and print sandbox ID")
                .bool("rm", '\0', "Automatically remove the sandbox when its process exits")
                .string("name", '\0', "string", "Assign a name to the sandbox")
                .string("hostname", '\0', "string", "Sandbox host name")
                .list("network", '\0', "network", "Connect a sandbox to a network")
                .list("network-alias", '\0', "list", "Add network-scoped alias for the sandbox")
                .string("ip", '\0', "string", "IPv4 address (e.g., 172.30.100.104)")
                .string("ip6", '\0', "string", "IPv6 address (e.g., 2001:db8::33)")
                .list("publish", 'p', "list", "Publish a sandbox's port(s) to the host");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        String body = requestBody(invocation, options);
        EngineClient engine = invocation.engine();
        String name = options.string("name", "");
        Optional<String> created = DaemonCalls.answer(invocation.err(), () -> engine.postJson("/containers/create",
                name.isEmpty() ? Map.of() : Map.of("name", List.of(name)), body).path("Id").asText());
        if (created.isEmpty()) {
            return RUN_FAILED;
        }
        String id = created.get();
        if (!DaemonCalls.reported(invocation.err(),
                () -> engine.send(HttpRequest.of("POST", engine.target("/containers/" + id + "/start", Map.of()))))) {
            if (options.bool("rm")) {
                remove(invocation.err(), engine, id);
            }
            return RUN_FAILED;
        }
        if (options.bool("detach")) {
            invocation.out().println(id);
            return 0;
        }
        return attach(invocation, engine, id, options.bool("rm"));
    }

    /**
     * Streams the output, waits, removes when asked; returns the command's exit status. Should the
     * CLI be stopped meanwhile (Ctrl-C, SIGTERM), a shutdown hook kills the process (SIGKILL; Berth
     * forwards no signals) or, with {@code --rm}, removes the sandbox.
     */
    private static int attach(Invocation invocation, EngineClient engine, String id, boolean remove) {
        Thread hook = new Thread(() -> stopFromHook(engine, id, remove), "berth-run-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return follow(invocation, engine, id, remove);
        } finally {
            removeHook(hook);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is shutting down, so the hook runs (or ran) already: nothing to undo
            return;
        }
    }

    private static void stopFromHook(EngineClient engine, String id, boolean remove) {
        if (remove) {
            remove(System.err, engine, id);
        } else {
            DaemonCalls.reported(System.err,
                    () -> engine.send(HttpRequest.of("POST", engine.target("/containers/" + id + "/kill", Map.of()))));
        }
    }

    private static int follow(Invocation invocation, EngineClient engine, String id, boolean remove) {
        try (ResponseStream logs = engine.stream("/containers/" + id + "/logs",
                Map.of("follow", List.of("1"), "stdout", List.of("1"), "stderr", List.of("1")))) {
            logs.copyTo(invocation.out());
        } catch (IOException e) {
            invocation.err().println("error reading the output of " + id + ": " + e.getMessage());
        }
        int status;
        try {
            status = engine.post("/containers/" + id + "/wait", Map.of()).path("StatusCode").asInt(RUN_FAILED);
        } catch (ConnectionFailure e) {
            // the daemon went away (stopped or crashed): the sandbox's process goes on (live restore)
            invocation.err().println(e.getMessage() + "\nlost the daemon: sandbox " + id.substring(0, 12)
                    + " keeps running; its status shows in berth ps -a once the daemon is back");
            return RUN_FAILED;
        }
        if (remove) {
            remove(invocation.err(), engine, id);
        }
        return status;
    }

    /** {@code DELETE /containers/ID?force=1}; a failure is reported, not thrown. */
    private static void remove(PrintStream err, EngineClient engine, String id) {
        DaemonCalls.reported(err,
                () -> engine.send(HttpRequest.of("DELETE", engine.target("/containers/" + id, Map.of("force", List.of("1"))))));
    }

    /** The create body as text; a bad {@code --publish} is a flag error. */
    private String requestBody(Invocation invocation, Flags.Options options) {
        try {
            return JsonTree.text(createBody(options));
        } catch (IllegalArgumentException e) {
            throw invalidFlag(invocation, "invalid argument for \"--publish\" flag: " + e.getMessage());
        }
    }

    /** The {@code POST /containers/create} body for these options. */
    static ObjectNode createBody(Flags.Options options) {
        List<String> command = options.positional();
        ObjectNode body = JsonTree.object();
        body.put("Hostname", options.string("hostname", ""));
        body.put("Image", "");
        ArrayNode cmd = body.putArray("Cmd");
        command.forEach(cmd::add);
        body.put("Tty", false);
        List<String> networks = options.list("network");
        String mode = networks.isEmpty() ? "default" : networks.getFirst();
        ObjectNode host = body.putObject("HostConfig");
        host.put("NetworkMode", mode);
        host.put("AutoRemove", options.bool("rm") && options.bool("detach"));
        ObjectNode ports = host.putObject("PortBindings");
        PortSpec.group(options.list("publish")).forEach((key, specs) -> {
            ArrayNode list = ports.putArray(key);
            specs.forEach(s -> list.addObject().put("HostIp", s.hostIp()).put("HostPort", s.hostPort()));
        });
        ObjectNode endpoints = body.putObject("NetworkingConfig").putObject("EndpointsConfig");
        ObjectNode first = JsonTree.object();
        String ip = options.string("ip", "");
        String ip6 = options.string("ip6", "");
        if (!ip.isEmpty() || !ip6.isEmpty()) {
            first.putObject("IPAMConfig").put("IPv4Address", ip).put("IPv6Address", ip6);
        }
        if (!options.list("network-alias").isEmpty()) {
            ArrayNode aliases = first.putArray("Aliases");
            options.list("network-alias").forEach(aliases::add);
        }
        if (!first.isEmpty()) {
            endpoints.set(mode, first);
        }
        for (String other : networks.stream().skip(1).toList()) {
            endpoints.putObject(other);
        }
        return body;
    }
}
