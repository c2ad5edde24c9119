package dev.berth.cli;

import dev.berth.cli.shell.ClientVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.cli.FakeDaemon.Reply;
import dev.berth.cli.format.JsonText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs berth in-process and the real docker CLI 28.2 against the same canned daemon and
 * requires the same stdout, stderr, exit status and requests. Skipped where docker is absent.
 */
class DockerParityTest {

    private static final Path DOCKER = Path.of("/usr/local/bin/docker");

    @TempDir
    static Path dir;

    private static FakeDaemon daemon;
    private static Path socket;

    /** What a command printed and how it ended. */
    record Outcome(String stdout, String stderr, int status, List<String> requests) {
    }

    @BeforeAll
    static void startDaemon() throws IOException {
        socket = dir.resolve("berth.sock");
        daemon = new FakeDaemon(socket, routes());
    }

    @AfterAll
    static void stopDaemon() throws IOException {
        daemon.close();
    }

    private static String sample(String name) throws IOException {
        try (InputStream in = DockerParityTest.class.getResourceAsStream("/docker/" + name)) {
            String compact = JsonText.compact(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return compact.substring(1, compact.length() - 1);
        }
    }

    private static String network(String name, String id, String extra) {
        return "{\"Name\":\"" + name + "\",\"Id\":\"" + id + "0".repeat(64 - id.length()) + "\",\"Scope\":\"local\"" + extra + "}";
    }

    private static Map<String, Reply> networks() throws IOException {
        Map<String, String> bodies = new HashMap<>();
        bodies.put("bridge", sample("inspect-bridge.default.json"));
        bodies.put("net1", sample("inspect-net1.json"));
        bodies.put("net6", sample("inspect-net6.json"));
        bodies.put("host", network("host", "29ec11151db9", ",\"Created\":\"2026-11-28T01:03:27.5Z\",\"Driver\":\"host\","
                + "\"EnableIPv4\":true,\"IPAM\":{\"Driver\":\"default\",\"Options\":null,\"Config\":null},\"Containers\":{}"));
        bodies.put("none", network("none", "933f8cc24e01", ",\"Created\":\"2026-11-28T01:03:27.581170769Z\",\"Driver\":\"null\""));
        bodies.put("net10", network("net10", "bbbbbbbbbbbb", ",\"Created\":\"2026-11-28T01:03:27+02:00\",\"Driver\":\"bridge\",\"EnableIPv6\":true"));
        bodies.put("net9", network("net9", "cccccccccccc", ",\"Driver\":\"bridge\",\"Internal\":true"));
        bodies.put("a-very-long-network-name", network("a-very-long-network-name", "dddddddddddd",
                ",\"Driver\":\"macvlan\",\"Created\":\"2026-01-02T03:04:05.000000100Z\","
                        + "\"Labels\":{\"a\":\"\\\"q\\\" \\u00e9 <tag> & \\n\\t\"},\"Options\":{\"x\":\"1\"}"));
        Map<String, Reply> replies = new HashMap<>();
        List<String> all = new ArrayList<>();
        bodies.forEach((name, body) -> {
            replies.put("GET /v1.50/networks/" + name, Reply.json(body + "\n"));
            all.add(body);
        });
        replies.put("LIST", new Reply(200, "application/json", "[" + String.join(",", all) + "]\n", true));
        return replies;
    }

    private static java.util.function.Function<FakeDaemon.Request, Reply> routes() throws IOException {
        Map<String, Reply> networks = networks();
        String version = """
                {"Platform":{"Name":"Berth Engine"},"Components":[{"Name":"Engine","Version":"0.1.0",
                "Details":{"ApiVersion":"1.50","MinAPIVersion":"1.24","GitCommit":"abc1234","GoVersion":"java25",
                "Os":"linux","Arch":"amd64","BuildTime":"2025-05-30T12:00:00.000000000+00:00","Experimental":"false"}},
                {"Name":"dns","Version":"1","Details":{"b":"2","a":"1"}}],
                "Version":"0.1.0","ApiVersion":"1.50","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}
                """;
        return received -> {
            String request = received.line();
            if (request.equals("GET /v1.50/networks") || request.startsWith("GET /v1.50/networks?")) {
                return networks.get("LIST");
            }
            if (request.equals("GET /v1.50/version")) {
                return Reply.json(version);
            }
            String path = request.contains("?") ? request.substring(0, request.indexOf('?')) : request;
            if (path.equals("POST /v1.50/containers/c1/stop")) {
                return new Reply(204, "", "", false);
            }
            if (path.startsWith("POST /v1.50/containers/") && path.endsWith("/stop")) {
                String name = path.substring("POST /v1.50/containers/".length(), path.length() - "/stop".length());
                return Reply.error(404, "No such container: " + name);
            }
            Reply reply = networks.get(path);
            if (reply == null && path.startsWith("GET /v1.50/networks/")) {
                return Reply.error(404, "network " + path.substring("GET /v1.50/networks/".length()) + " not found");
            }
            return reply;
        };
    }

    private static Outcome berth(List<String> args, Map<String, String> env) {
        daemon.clearRequests();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args.toArray(String[]::new), env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status, daemon.requests());
    }

    private static Outcome docker(List<String> args) throws IOException, InterruptedException {
        daemon.clearRequests();
        List<String> command = new ArrayList<>(List.of(DOCKER.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        pb.environment().put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        Path stdout = dir.resolve("stdout");
        Path stderr = dir.resolve("stderr");
        Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "docker timed out");
        return new Outcome(Files.readString(stdout), Files.readString(stderr), p.exitValue(), daemon.requests());
    }

    private static void assertSame(List<String> args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(DOCKER), "docker CLI not installed");
        Outcome expected = docker(args);
        Outcome actual = berth(args, Map.of("BERTH_HOST", "unix://" + socket));
        assertEquals(expected.stdout(), actual.stdout(), "stdout of " + args);
        assertEquals(expected.status(), actual.status(), "exit status of " + args);
        assertEquals(expected.stderr(), actual.stderr(), "stderr of " + args);
        if (args.getFirst().equals("stop")) {
            // both stop containers in parallel: the same requests, in any order after the ping
            assertEquals(expected.requests().getFirst(), actual.requests().getFirst(), "the ping first: " + args);
            assertEquals(expected.requests().stream().sorted().toList(), actual.requests().stream().sorted().toList(),
                    "requests of " + args);
        } else if (expected.status() != 64) {
            // docker pings even before rejecting a template; berth does not contact the daemon then
            assertEquals(expected.requests(), actual.requests(), "requests of " + args);
        }
    }

    @TestFactory
    Stream<DynamicTest> sameOutputAsDocker() {
        List<List<String>> cases = List.of(
                List.of("network", "ls"),
                List.of("network", "ls", "-q"),
                List.of("network", "ls", "--no-trunc"),
                List.of("network", "ls", "-q", "--no-trunc"),
                List.of("network", "list"),
                List.of("network", "ls", "--format", "{{.Name}}\\t{{.Driver}}"),
                List.of("network", "ls", "--format", "table {{.Name}}\\t{{.IPv6}}"),
                List.of("network", "ls", "--format", "table {{.ID}}\\t{{.Labels}}\\t{{.CreatedAt}}\\t{{.Label \"a\"}}|"),
                List.of("network", "ls", "--format", "json"),
                List.of("network", "ls", "--format", "raw"),
                List.of("network", "ls", "--format", "{{json .}}"),
                List.of("network", "ls", "-f", "driver=bridge", "-f", "Name = x y*~", "-f", "label=a=b", "--format", "{{.ID}}"),
                List.of("network", "ls", "--format", "{{.Foo}}"),
                List.of("network", "inspect", "bridge"),
                List.of("network", "inspect", "nosuch"),
                List.of("network", "inspect", "bridge", "nosuch"),
                List.of("network", "inspect", "net1", "net6", "a-very-long-network-name", "host", "none"),
                List.of("network", "inspect", "-f", "json", "bridge", "a-very-long-network-name"),
                List.of("network", "inspect", "-f", "{{.Name}} {{.Created}} {{json .IPAM.Config}} {{.EnableIPv4}}", "bridge", "net9", "net10"),
                List.of("network", "inspect", "-f", "{{.Id}} {{.ID}}", "bridge"),
                List.of("network", "inspect", "-f", "{{json .}}", "bridge", "net1", "a-very-long-network-name"),
                List.of("network", "inspect", "-f", "{{.}}", "bridge", "host"),
                List.of("network", "inspect", "-f", "{{.IPAM}} {{.Options}} {{.Labels}}", "bridge", "a-very-long-network-name"),
                List.of("network", "inspect", "--format", "{{range $k, $v := .Options}}{{$k}}={{$v}};{{end}}", "bridge"),
                List.of("network", "inspect", "-f", "{{index .Labels \"a\"}}|{{json .Labels}}", "a-very-long-network-name"),
                List.of("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", "net6"),
                List.of("network", "inspect", "-f", "{{.Foo}}", "bridge"),
                List.of("network", "inspect", "-f", "{{.IPAM.Options}}|{{.Id}}|{{.IPAM}}", "bridge", "net9"),
                List.of("network", "inspect", "-f", "{{.Id", "bridge"),
                List.of("stop", "c1"),
                List.of("stop", "-t", "5", "-s", "SIGINT", "c1"),
                List.of("stop", "--timeout=0", "c1", "nosuch", "c1"),
                List.of("stop", "nosuch"));
        return cases.stream().map(args -> DynamicTest.dynamicTest(String.join(" ", args), () -> assertSame(args)));
    }

    @Test
    void versionServerSectionMatchesDocker() throws Exception {
        assumeTrue(Files.isExecutable(DOCKER), "docker CLI not installed");
        Outcome expected = docker(List.of("version"));
        Outcome actual = berth(List.of("-H", "unix://" + socket, "version"), Map.of());
        String server = expected.stdout().substring(expected.stdout().indexOf("\n\nServer:"));
        assertEquals(server, actual.stdout().substring(actual.stdout().indexOf("\n\nServer:")));
        assertEquals(0, actual.status());
        assertTrue(actual.stdout().startsWith("Client:\n Version:           " + ClientVersion.VERSION + "\n API version:       1.50\n"));
    }

    @Test
    void unreachableDaemon() {
        Path missing = dir.resolve("missing.sock");
        Outcome ls = berth(List.of("network", "ls"), Map.of("BERTH_HOST", "unix://" + missing));
        assertEquals(1, ls.status());
        assertEquals("", ls.stdout());
        assertEquals("Cannot connect to the Berth daemon at unix://" + missing + ". Is the berth daemon running?\n", ls.stderr());
        Outcome inspect = berth(List.of("-H", "unix://" + missing, "network", "inspect", "x"), Map.of());
        assertEquals("[]\n", inspect.stdout());
        assertEquals(1, inspect.status());
    }

    @Test
    void usageErrorsLikeDocker() {
        Map<String, String> env = Map.of("BERTH_HOST", "unix://" + socket);
        Outcome flag = berth(List.of("network", "ls", "--bogus"), env);
        assertEquals(125, flag.status());
        assertTrue(flag.stderr().startsWith("unknown flag: --bogus\n\nUsage:  berth network ls [OPTIONS]\n"), flag.stderr());
        assertEquals(125, berth(List.of("network", "ls", "-f", "nofilter"), env).status());
        Outcome command = berth(List.of("bogus"), env);
        assertEquals(1, command.status());
        assertTrue(command.stderr().startsWith("berth: 'bogus' is not a berth command."), command.stderr());
        assertEquals(1, berth(List.of("network", "inspect"), env).status());
        assertEquals(1, berth(List.of("network", "ls", "extra"), env).status());
        Outcome group = berth(List.of("network"), env);
        assertEquals(0, group.status());
        assertTrue(group.stdout().contains("Usage:  berth network COMMAND"), group.stdout());
        Outcome help = berth(List.of("--help"), env);
        assertTrue(help.stdout().contains("BERTH_HOST") && help.stdout().contains("125"), help.stdout());
        assertEquals(List.of(), daemon.requests(), "usage errors never reach the daemon");
    }
}
