package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import dev.berth.it.fixture.UnixHttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad {@code network create} input, through the raw API and the docker CLI: the exact error, and
 * nothing changed afterwards, neither in the kernel (links and addresses of the host namespace)
 * nor in the store ({@code GET /networks}, also after a restart).
 */
@ExtendWith(TestbedExtension.class)
class NetworkBadInputIT {

    private static final String JSON = "application/json";

    /**
     * One request that must fail. {@code exact} compares the whole message; otherwise the
     * message must start with {@code message} (Berth's wording past that point is its own).
     */
    private record Bad(String what, String contentType, String body, int status, String message, boolean exact) {
        static Bad exact(String what, String body, int status, String message) {
            return new Bad(what, JSON, body, status, message, true);
        }

        static Bad prefix(String what, String body, int status, String message) {
            return new Bad(what, JSON, body, status, message, false);
        }
    }

    private static final List<Bad> RAW = List.of(
            Bad.exact("empty name", "{\"Name\":\"\"}", 400, "invalid name: name is empty"),
            Bad.exact("blank name", "{\"Name\":\"   \"}", 400, "invalid name: name is empty"),
            Bad.exact("no name", "{\"Driver\":\"bridge\"}", 400, "invalid name: name is empty"),
            Bad.exact("duplicate name", "{\"Name\":\"taken\"}", 409, "network with name taken already exists"),
            Bad.exact("predefined bridge", "{\"Name\":\"bridge\"}", 403,
                    "operation is not permitted on predefined bridge network "),
            Bad.exact("predefined host", "{\"Name\":\"host\"}", 403,
                    "operation is not permitted on predefined host network "),
            Bad.exact("predefined none", "{\"Name\":\"none\"}", 403,
                    "operation is not permitted on predefined none network "),
            Bad.exact("unknown driver", "{\"Name\":\"x\",\"Driver\":\"foo\"}", 404, "plugin \"foo\" not found"),
            Bad.exact("invalid CIDR", "{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.0.0.0/33\"}]}}", 400,
                    "invalid network config:\ninvalid subnet 10.0.0.0/33: invalid CIDR block notation"),
            Bad.exact("not a CIDR", "{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"banana\"}]}}", 400,
                    "invalid network config:\ninvalid subnet banana: invalid CIDR block notation"),
            Bad.exact("gateway outside subnet", "{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.20.0.0/24\","
                    + "\"Gateway\":\"10.21.0.1\"}]}}", 400, "invalid network config:\ninvalid gateway 10.21.0.1: "
                    + "parent subnet 10.20.0.0/24 doesn't contain this address"),
            Bad.prefix("ip-range larger than subnet", "{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":"
                    + "\"10.30.0.0/24\",\"IPRange\":\"10.30.0.0/16\"}]}}", 400,
                    "invalid network config:\ninvalid ip-range 10.30.0.0/16: CIDR block is bigger than its parent subnet"),
            Bad.exact("overlapping explicit subnet", "{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":"
                    + "\"10.40.0.0/16\"}]}}", 403, "Pool overlaps with other one on this address space"),
            Bad.exact("subnet inside docker0", "{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":"
                    + "\"172.17.5.0/24\"}]}}", 403, "Pool overlaps with other one on this address space"),
            Bad.prefix("malformed JSON", "{\"Name\":", 400, "invalid JSON: "),
            Bad.prefix("JSON of the wrong type", "[1,2]", 400, "invalid JSON: "),
            new Bad("wrong Content-Type", "text/plain", "{\"Name\":\"x\"}", 400,
                    "unsupported Content-Type header (text/plain): must be 'application/json'", true),
            Bad.prefix("mtu not a number", "{\"Name\":\"x\",\"Options\":{\"com.docker.network.driver.mtu\":\"abc\"}}",
                    400, ""),
            Bad.prefix("enable_icc not a bool", "{\"Name\":\"x\",\"Options\":"
                    + "{\"com.docker.network.bridge.enable_icc\":\"maybe\"}}", 400, ""),
            Bad.exact("enable_ipv6 option not a bool", "{\"Name\":\"x\",\"Options\":"
                    + "{\"com.docker.network.enable_ipv6\":\"maybe\"}}", 400,
                    "driver-opt \"com.docker.network.enable_ipv6\" is not a valid bool"),
            Bad.exact("neither family", "{\"Name\":\"x\",\"EnableIPv4\":false}", 400, "IPv4 or IPv6 must be enabled"),
            Bad.exact("unknown gateway mode", "{\"Name\":\"x\",\"EnableIPv6\":true,\"Options\":"
                    + "{\"com.docker.network.bridge.gateway_mode_ipv6\":\"bogus\"}}", 400, "failed to parse "
                    + "com.docker.network.bridge.gateway_mode_ipv6 value: bogus (unknown gateway mode bogus)"),
            Bad.exact("empty gateway mode", "{\"Name\":\"x\",\"Options\":"
                    + "{\"com.docker.network.bridge.gateway_mode_ipv4\":\"\"}}", 400, "failed to parse "
                    + "com.docker.network.bridge.gateway_mode_ipv4 value:  (unknown gateway mode )"),
            Bad.exact("isolated on a network that is not internal", "{\"Name\":\"x\",\"Options\":"
                    + "{\"com.docker.network.bridge.gateway_mode_ipv4\":\"isolated\"}}", 400,
                    "gateway mode 'isolated' can only be used for an internal network"),
            Bad.exact("mtu with a trailing space", "{\"Name\":\"x\",\"Options\":{\"com.docker.network.driver.mtu\":"
                    + "\"1500 \"}}", 400, "invalid value \"1500 \" for option com.docker.network.driver.mtu: it must be an "
                    + "integer"),
            Bad.exact("IPv6 with an MTU below 1280", "{\"Name\":\"x\",\"EnableIPv6\":true,\"Options\":"
                    + "{\"com.docker.network.driver.mtu\":\"1000\"}}", 400, "invalid value \"1000\" for option "
                    + "com.docker.network.driver.mtu: an IPv6 network needs an MTU of at least 1280"),
            Bad.exact("IPv6 loopback subnet", "{\"Name\":\"x\",\"EnableIPv6\":true,\"IPAM\":{\"Config\":"
                    + "[{\"Subnet\":\"::1/128\"}]}}", 400,
                    "invalid network config:\ninvalid subnet ::1/128: loopback subnet '::1/128' is not allowed"),
            Bad.exact("IPv6 multicast subnet", "{\"Name\":\"x\",\"EnableIPv6\":true,\"IPAM\":{\"Config\":"
                    + "[{\"Subnet\":\"ff00::/8\"}]}}", 400,
                    "invalid network config:\ninvalid subnet ff00::/8: multicast subnet 'ff00::/8' is not allowed"),
            Bad.exact("IPv4 loopback subnet", "{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"127.0.0.0/8\"}]}}",
                    400, "invalid network config:\ninvalid subnet 127.0.0.0/8: loopback subnet '127.0.0.0/8' is not allowed"),
            Bad.exact("null pool", "{\"Name\":\"x\",\"IPAM\":{\"Config\":[null]}}", 400,
                    "invalid network config:\ninvalid subnet : invalid CIDR block notation"),
            Bad.exact("JSON null", "null", 400, "invalid name: name is empty"),
            Bad.exact("name too long", "{\"Name\":\"" + "n".repeat(256) + "\"}", 400,
                    "invalid network name: it is 256 characters long, at most 255 are allowed"),
            Bad.prefix("a second JSON value", "{\"Name\":\"x\"} {\"Name\":\"y\"}", 400, "invalid JSON: "));

    @Test
    void badApiRequestsGetTheExactErrorAndChangeNothing(Testbed bed) {
        bed.daemon().start();
        UnixHttpClient api = bed.api();
        assertEquals(201, Bridges.createRaw(api, "{\"Name\":\"taken\"}").status());
        assertEquals(201, Bridges.createRaw(api, "{\"Name\":\"ov1\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.40.0.0/24\"}]}}")
                .status());
        Snapshot before = Snapshot.take(bed);
        List<Executable> checks = new ArrayList<>();
        for (Bad bad : RAW) {
            HttpReply reply = api.send("POST", "/v1.50/networks/create", bad.contentType(),
                    bad.body().getBytes(StandardCharsets.UTF_8));
            checks.add(() -> assertRejected(bad, reply));
        }
        assertAll(checks);
        assertEquals(before, Snapshot.take(bed));
        bed.daemon().restart();
        assertEquals(before.networks(), Snapshot.take(bed).networks(), "store changed by bad input (seen after restart)");
    }

    @Test
    void badCliInputExitsOneWithTheDaemonsMessageAndChangesNothing(Testbed bed) {
        bed.daemon().start();
        Bridges.create(bed.docker(), "taken");
        Bridges.create(bed.docker(), "--subnet", "10.40.0.0/24", "ov1");
        Snapshot before = Snapshot.take(bed);
        List<Executable> checks = new ArrayList<>();
        checks.add(cli(bed, "network with name taken already exists", "taken"));
        checks.add(cli(bed, "operation is not permitted on predefined bridge network", "bridge"));
        checks.add(cli(bed, "plugin \"foo\" not found", "-d", "foo", "x"));
        checks.add(cli(bed, "invalid network config:", "--subnet", "10.0.0.0/33", "x"));
        checks.add(cli(bed, "Pool overlaps with other one on this address space", "--subnet", "10.40.0.0/16", "x"));
        checks.add(cli(bed, "", "-o", "com.docker.network.driver.mtu=abc", "x"));
        checks.add(cli(bed, "", "-o", "com.docker.network.bridge.enable_icc=maybe", "x"));
        checks.add(cli(bed, "invalid value", "-o", "com.docker.network.driver.mtu=1500 ", "x"));
        checks.add(cli(bed, "invalid value", "--ipv6", "-o", "com.docker.network.driver.mtu=1000", "x"));
        checks.add(cli(bed, "invalid network config:", "--ipv6", "--subnet", "::1/128", "x"));
        checks.add(cli(bed, "invalid network config:", "--ipv6", "--subnet", "ff00::/8", "x"));
        checks.add(cli(bed, "failed to parse", "-o", "com.docker.network.bridge.gateway_mode_ipv6=routd", "x"));
        checks.add(cli(bed, "gateway mode 'isolated' can only be used for an internal network",
                "x", "-o", "com.docker.network.bridge.gateway_mode_ipv4=isolated"));
        assertAll(checks);
        assertEquals(before, Snapshot.take(bed));
    }

    /** Runs {@code docker network create args} now; the returned check asserts exit 1 and the message. */
    private static Executable cli(Testbed bed, String message, String... args) {
        List<String> argv = new ArrayList<>(List.of("network", "create"));
        argv.addAll(List.of(args));
        CommandResult result = bed.docker().run(argv.toArray(String[]::new));
        return () -> {
            assertEquals(1, result.exitCode(), result::describe);
            assertEquals("", result.stdout(), result::describe);
            assertTrue(result.stderr().startsWith("Error response from daemon: " + message), result::describe);
            if (args[0].equals("-o")) {
                String option = args[1];
                assertTrue(result.stderr().contains(option.substring(0, option.indexOf('='))), result::describe);
                assertTrue(result.stderr().contains(option.substring(option.indexOf('=') + 1)), result::describe);
            }
        };
    }

    private static void assertRejected(Bad bad, HttpReply reply) {
        assertEquals(bad.status(), reply.status(), () -> bad.what() + ": " + reply);
        assertEquals(Optional.of(JSON), reply.header("Content-Type"), () -> bad.what() + ": " + reply);
        String message = reply.json().path("message").asText();
        if (bad.exact()) {
            assertEquals(bad.message(), message, bad.what());
        } else {
            assertTrue(message.startsWith(bad.message()), () -> bad.what() + ": " + message);
        }
        if (!bad.exact() && bad.body().contains("\"Options\"")) {
            JsonNode options = Bridges.parse(bad.body()).path("Options");
            String key = options.fieldNames().next();
            assertTrue(message.contains(key) && message.contains(options.path(key).asText()),
                    () -> bad.what() + ": the message should name the option and value: " + message);
        }
    }

    /** What bad input must not change: the host namespace's links and addresses, and the network list. */
    private record Snapshot(List<LinkState> links, JsonNode routes, JsonNode networks) {
        static Snapshot take(Testbed bed) {
            HttpReply list = bed.api().send("GET", "/v1.50/networks");
            assertEquals(200, list.status(), list::toString);
            return new Snapshot(bed.host().hostLinks(), bed.host().ipHostJson("route", "show", "table", "all"),
                    list.json());
        }
    }
}
