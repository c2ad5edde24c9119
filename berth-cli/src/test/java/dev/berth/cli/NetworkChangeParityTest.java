package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.FakeDaemon.Reply;
import dev.berth.cli.ParityRunner.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network create/rm/prune}: berth and the real docker CLI 28.2 against the same fake
 * daemon that answers like moby (201 with {@code Id/Warning}, 204 for DELETE, 200 with
 * {@code NetworksDeleted}); same stdout, stderr, exit status and requests.
 */
class NetworkChangeParityTest {

    static final String ID = "0123456789abcdef".repeat(4);

    @TempDir
    static Path dir;

    private static FakeDaemon daemon;
    private static ParityRunner runner;

    @BeforeAll
    static void start() throws IOException {
        Path socket = dir.resolve("change.sock");
        daemon = new FakeDaemon(socket, NetworkChangeParityTest::route);
        runner = new ParityRunner(daemon, socket, dir);
    }

    @AfterAll
    static void stop() throws IOException {
        daemon.close();
    }

    static Reply route(FakeDaemon.Request request) {
        String path = request.target().replaceFirst("\\?.*", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        String key = path.endsWith("/create") || path.endsWith("/prune") ? path : path.replaceFirst("/networks/[^/]+$", "/networks/X");
        return switch (request.method() + " " + key) {
            case "POST /v1.50/networks/create" -> created(request.body());
            case "POST /v1.50/networks/prune" -> request.target().contains("nothing")
                    ? Reply.json("{\"NetworksDeleted\":null}\n")
                    : Reply.json("{\"NetworksDeleted\":[\"net2\",\"dropme\"]}\n");
            case "GET /v1.50/networks/X" -> name.startsWith("nosuch") ? Reply.error(404, "network " + name + " not found")
                    : Reply.json("{\"Name\":\"" + name + "\",\"Id\":\"" + ID + "\",\"Scope\":\"local\",\"Driver\":\"bridge\","
                            + "\"Ingress\":" + name.startsWith("ingress") + "}\n");
            case "DELETE /v1.50/networks/X" -> name.startsWith("nosuch") ? Reply.error(404, "network " + name + " not found")
                    : name.startsWith("busy") ? Reply.error(403, "error while removing network: network " + name
                            + " has active endpoints (name:\\\"c1\\\" id:\\\"0123456789ab\\\")")
                    : Reply.empty(204);
            default -> null;
        };
    }

    private static Reply created(String body) {
        try {
            String name = new ObjectMapper().readTree(body).path("Name").asText();
            if (name.equals("dup")) {
                return Reply.error(409, "network with name dup already exists");
            }
            String warning = name.equals("warned") ? "IPv6 is disabled" : "";
            return Reply.json(201, "{\"Id\":\"" + ID + "\",\"Warning\":\"" + warning + "\"}\n");
        } catch (IOException e) {
            return Reply.error(400, "invalid JSON: " + e.getMessage());
        }
    }

    private static DynamicTest same(Options options, String... args) {
        return DynamicTest.dynamicTest(String.join(" ", args), () -> {
            assumeTrue(Files.isExecutable(ParityRunner.DOCKER), "docker CLI not installed");
            runner.assertSame(List.of(args), options);
        });
    }

    @TestFactory
    Stream<DynamicTest> create() {
        Options plain = Options.PLAIN;
        Options rejected = Options.PLAIN.withoutPing();
        return Stream.of(
                same(plain, "network", "create", "mynet"),
                same(plain, "network", "create", "--subnet", "10.10.0.0/24", "--ip-range", "10.10.0.128/25",
                        "--gateway", "10.10.0.1", "--aux-address", "host1=10.10.0.5", "--subnet", "fd00:1::/64",
                        "--gateway", "fd00:1::1", "--ipv6", "--ipam-opt", "foo=bar", "-o", "com.docker.network.bridge.name=br-x",
                        "--label", "a=b", "--label", "c", "--internal", "--attachable", "net2"),
                same(plain, "network", "create", "--ipv4=false", "--ipv6", "v6only"),
                same(plain, "network", "create", "my-net-ipv6", "--ipv6", "--subnet=fd00:1::1/80", "--gateway=fd00:1::1"),
                same(plain, "network", "create", "-d", "macvlan", "--scope", "local", "--config-only", "--ipam-driver", "x",
                        "--ipv6=F", "--ipv4=1", "--ingress", "-o", "parent=eth0", "-o", "flag", "--label", "k=v=w", "cfg"),
                same(plain, "network", "create", "--config-from", "cfg", "--subnet", "10.1.0.0/24,10.2.0.0/24",
                        "--ip-range", "10.2.0.0/25", "--aux-address", "a=10.1.0.9", "--aux-address", "b=10.1.0.10", "from"),
                same(rejected, "network", "create", "--subnet", "10.1.0.0/24,10.2.0.0/24", "--subnet", "bogus-one", "x"),
                same(plain, "network", "create", "--subnet", "10.0.0.1", "--label", "<&>=\u00e9\"", "odd"),
                same(plain, "network", "create", "dup"),
                same(rejected, "network", "create", "--gateway", "10.0.0.1", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24", "--gateway", "10.0.0.1", "--gateway", "10.0.0.2", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24", "--subnet", "10.0.0.0/16", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24", "--ip-range", "10.0.1.0/25", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24,10.1.0.0/24", "--ip-range", "10.0.0.0/25",
                        "--ip-range", "10.0.0.128/25", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24", "--gateway", "10.0.1.1", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24", "--aux-address", "a=10.0.1.1", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24", "--subnet", "bogus", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24", "--ip-range", "bogus/2", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24", "--gateway", "bogus", "x"),
                same(rejected, "network", "create", "--subnet", "10.0.0.0/24", "--gateway", "fd00::1", "x"),
                same(rejected, "network", "create", "--label", "=x", "x"),
                same(rejected, "network", "create", "--label", "a b=c", "x"),
                same(rejected, "network", "create", "--ipv6=maybe", "x"),
                same(rejected, "network", "create", "a", "b"),
                same(rejected, "network", "create"));
    }

    @TestFactory
    Stream<DynamicTest> removeAndPrune() {
        Options plain = Options.PLAIN;
        return Stream.of(
                same(plain, "network", "rm", "net1", "nosuch"),
                same(plain, "network", "rm", "net1", "nosuch", "busy", "net2"),
                same(plain, "network", "rm", "-f", "nosuch"),
                same(plain, "network", "rm", "-f", "nosuch", "busy", "net3"),
                same(plain, "network", "remove", "net1"),
                same(plain.withStdin("n\n"), "network", "rm", "ingress", "net1"),
                same(plain.withStdin(" Y \n"), "network", "rm", "ingress"),
                same(plain.withoutPing(), "network", "rm"),
                same(plain, "network", "prune", "-f", "--filter", "until=1h", "--filter", "label!=keep", "--filter", "label=a=b"),
                same(plain, "network", "prune", "--force", "--filter", "label=nothing"),
                same(plain.withStdin("n\n"), "network", "prune"),
                same(plain.withStdin("yes\n"), "network", "prune"),
                same(plain.withStdin("y\n"), "network", "prune"),
                same(plain, "network", "prune"),
                same(plain.withoutPing(), "network", "prune", "--filter", "foo"),
                same(plain.withoutPing(), "network", "prune", "extra"));
    }

    @Test
    void createSendsTheCapturedBody() {
        ParityRunner.Outcome outcome = runner.berth(List.of("network", "create", "--subnet", "10.10.0.0/24", "--ip-range",
                "10.10.0.128/25", "--gateway", "10.10.0.1", "--aux-address", "host1=10.10.0.5", "--subnet", "fd00:1::/64",
                "--gateway", "fd00:1::1", "--ipv6", "--ipam-opt", "foo=bar", "-o", "com.docker.network.bridge.name=br-x",
                "--label", "a=b", "--label", "c", "--internal", "--attachable", "net2"), Options.PLAIN);
        assertEquals(ID + "\n", outcome.stdout(), outcome.stderr());
        FakeDaemon.Request create = outcome.requests().getLast();
        assertEquals("POST /v1.50/networks/create", create.line());
        assertEquals("application/json", create.contentType());
        assertEquals("""
                {"Driver":"bridge","Scope":"","EnableIPv6":true,"IPAM":{"Driver":"default","Options":{"foo":"bar"},"Config":[\
                {"Subnet":"10.10.0.0/24","IPRange":"10.10.0.128/25","Gateway":"10.10.0.1","AuxiliaryAddresses":{"host1":"10.10.0.5"}},\
                {"Subnet":"fd00:1::/64","Gateway":"fd00:1::1"}]},"Internal":true,"Attachable":true,"Ingress":false,\
                "ConfigOnly":false,"ConfigFrom":null,"Options":{"com.docker.network.bridge.name":"br-x"},\
                "Labels":{"a":"b","c":""},"Name":"net2"}
                """, create.body());
        assertEquals(Integer.toString(create.body().length()), create.contentLength());
    }

    @Test
    void createShowsTheDaemonWarningUnlikeDocker() {
        ParityRunner.Outcome outcome = runner.berth(List.of("network", "create", "warned"), Options.PLAIN);
        assertEquals(ID + "\n", outcome.stdout(), outcome.stderr());
        assertEquals("WARNING: IPv6 is disabled\n", outcome.stderr());
        assertEquals(0, outcome.status());
    }
}
