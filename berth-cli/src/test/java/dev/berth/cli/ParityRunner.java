package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the same command line through berth (in-process) and the real docker CLI against one
 * {@link FakeDaemon}, and compares what they print, their exit status and the requests they sent
 * (method, target, Content-Type, Content-Length, JSON body compared structurally with
 * {@code IPAM.Config} as a set, since docker orders it by Go map iteration).
 */
final class ParityRunner {

    static final Path DOCKER = Path.of("/usr/local/bin/docker");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FakeDaemon daemon;
    private final Path socket;
    private final Path dir;

    /** What a command printed, how it ended and what it sent. */
    record Outcome(String stdout, String stderr, int status, List<FakeDaemon.Request> requests) {
    }

    /**
     * How to run one case.
     *
     * @param stdin      what standard input holds
     * @param env        extra environment (e.g. TZ), given to both
     * @param ignorePing whether to leave out {@code HEAD /_ping}: docker pings before validating
     *                   its flags, berth only when it has something to ask the daemon
     */
    record Options(String stdin, Map<String, String> env, boolean ignorePing) {

        static final Options PLAIN = new Options("", Map.of(), false);

        Options withStdin(String text) {
            return new Options(text, env, ignorePing);
        }

        Options withEnv(String key, String value) {
            Map<String, String> copy = new HashMap<>(env);
            copy.put(key, value);
            return new Options(stdin, copy, ignorePing);
        }

        Options withoutPing() {
            return new Options(stdin, env, true);
        }
    }

    ParityRunner(FakeDaemon daemon, Path socket, Path dir) {
        this.daemon = daemon;
        this.socket = socket;
        this.dir = dir;
    }

    Outcome berth(List<String> args, Options options) {
        daemon.clearRequests();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(options.env());
        env.put("BERTH_HOST", "unix://" + socket);
        int status = Main.run(args.toArray(String[]::new), env,
                new ByteArrayInputStream(options.stdin().getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status, daemon.recorded());
    }

    Outcome docker(List<String> args, Options options) throws IOException, InterruptedException {
        daemon.clearRequests();
        List<String> command = new ArrayList<>(List.of(DOCKER.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
        pb.environment().putAll(options.env());
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        pb.environment().put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        Path stdin = dir.resolve("stdin");
        Files.writeString(stdin, options.stdin());
        Path stdout = dir.resolve("stdout");
        Path stderr = dir.resolve("stderr");
        Process p = pb.redirectInput(stdin.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "docker timed out");
        return new Outcome(Files.readString(stdout), Files.readString(stderr), p.exitValue(), daemon.recorded());
    }

    /** Runs both and requires identical output, status and requests; returns berth's outcome. */
    Outcome assertSame(List<String> args, Options options) throws IOException, InterruptedException {
        Outcome expected = docker(args, options);
        Outcome actual = berth(args, options);
        assertEquals(renamed(expected.stdout()), actual.stdout(), "stdout of " + args);
        assertEquals(renamed(expected.stderr()), actual.stderr(), "stderr of " + args);
        assertEquals(expected.status(), actual.status(), "exit status of " + args);
        assertEquals(normalize(expected.requests(), options), normalize(actual.requests(), options), "requests of " + args);
        return actual;
    }

    /** docker's usage texts name the program; berth's name berth. */
    private static String renamed(String text) {
        return text.replace("docker: 'docker ", "berth: 'berth ").replaceAll("(Usage: +|'|[Ss]ee ')docker ", "$1berth ");
    }

    private static List<String> normalize(List<FakeDaemon.Request> requests, Options options) {
        List<String> out = new ArrayList<>();
        for (FakeDaemon.Request r : requests) {
            if (options.ignorePing() && r.target().equals("/_ping")) {
                continue;
            }
            out.add(r.line() + " type=" + r.contentType() + " length=" + r.contentLength() + " body=" + body(r.body()));
        }
        return out;
    }

    /** The body as canonical JSON (IPAM.Config sorted), or verbatim when it is not JSON. */
    static String body(String text) {
        if (text.isEmpty()) {
            return "";
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node.path("IPAM").path("Config") instanceof ArrayNode config) {
                List<JsonNode> entries = new ArrayList<>();
                config.forEach(entries::add);
                entries.sort(Comparator.comparing(JsonNode::toString));
                ((ObjectNode) node.get("IPAM")).set("Config", MAPPER.createArrayNode().addAll(entries));
            }
            return canonical(node) + (text.endsWith("}\n") ? "\\n" : "");
        } catch (IOException e) {
            return text;
        }
    }

    /** The same JSON with object keys sorted, so that structural equality reads as text equality. */
    private static JsonNode canonical(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode sorted = MAPPER.createObjectNode();
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(n -> sorted.set(n, canonical(object.get(n))));
            return sorted;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = MAPPER.createArrayNode();
            array.forEach(e -> copy.add(canonical(e)));
            return copy;
        }
        return node;
    }
}
