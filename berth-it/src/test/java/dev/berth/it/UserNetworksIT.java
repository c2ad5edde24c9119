package dev.berth.it;

import static dev.berth.it.Bridges.absent;
import static dev.berth.it.Bridges.create;
import static dev.berth.it.Bridges.device;
import static dev.berth.it.Bridges.inspect;
import static dev.berth.it.Bridges.link;
import static dev.berth.it.Bridges.subnet;
import static dev.berth.it.Bridges.subnetV4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.DockerCli;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** User-defined bridge networks: create, inspect, rm and prune through the real docker CLI. */
@ExtendWith(TestbedExtension.class)
class UserNetworksIT {

    @Test
    void createMakesAnUpBridgeAtOnceWithTheFirstFreeDefaultSubnet(Testbed bed) {
        bed.daemon().start();
        String id = create(bed.docker(), "n1");
        LinkState bridge = link(bed.host(), device(id));
        assertTrue(bridge.isUp(), bridge::toString);
        assertEquals(List.of("172.18.0.1/16"), bridge.addresses(true));
        assertEquals(1500, bridge.mtu());
        JsonNode details = bed.host().ipHostJson("-d", "link", "show", device(id));
        assertEquals("bridge", details.get(0).path("linkinfo").path("info_kind").asText(), details::toString);
        JsonNode n1 = inspect(bed.docker(), "n1");
        assertEquals(id, n1.path("Id").asText());
        assertEquals(Bridges.parse("[{\"Subnet\":\"172.18.0.0/16\",\"Gateway\":\"172.18.0.1\"}]"),
                n1.path("IPAM").path("Config"));

        String id2 = create(bed.docker(), "-o", "com.docker.network.driver.mtu=1400", "n2");
        LinkState second = link(bed.host(), device(id2));
        assertEquals(List.of("172.19.0.1/16"), second.addresses(true));
        assertEquals(1400, second.mtu());
        assertTrue(second.isUp(), second::toString);
    }

    @Test
    void fullFlagsAreAppliedToTheKernelAndShownByInspect(Testbed bed) {
        bed.daemon().start();
        String id = create(bed.docker(), "--subnet", "10.10.0.0/24", "--ip-range", "10.10.0.128/25",
                "--gateway", "10.10.0.1", "--aux-address", "host1=10.10.0.5", "--ipv6", "--subnet", "fd00:1::/64",
                "--gateway", "fd00:1::1", "--label", "a=b", "--internal", "--attachable",
                "-o", "com.docker.network.bridge.name=br-full", "-o", "com.docker.network.driver.mtu=1400", "full");
        LinkState bridge = link(bed.host(), "br-full");
        assertTrue(bridge.isUp(), bridge::toString);
        assertEquals(1400, bridge.mtu());
        assertEquals(List.of("10.10.0.1/24"), bridge.addresses(true));
        assertTrue(bridge.addresses(false).contains("fd00:1::1/64"), bridge::toString);
        assertTrue(absent(bed.host(), device(id)), "no br-<id> device besides br-full");
        for (JsonNode address : Bridges.ipv6AddressInfo(bed.host(), "br-full")) {
            assertFalse(address.path("tentative").asBoolean(false), () -> "tentative: " + address);
            assertFalse(address.path("dadfailed").asBoolean(false), () -> "dadfailed: " + address);
        }

        JsonNode full = inspect(bed.docker(), "full");
        assertEquals(id, full.path("Id").asText());
        assertEquals("bridge", full.path("Driver").asText());
        assertEquals("local", full.path("Scope").asText());
        assertTrue(full.path("EnableIPv6").asBoolean(), full::toString);
        assertTrue(full.path("Internal").asBoolean(), full::toString);
        assertTrue(full.path("Attachable").asBoolean(), full::toString);
        assertEquals(Bridges.parse("{\"a\":\"b\"}"), full.path("Labels"));
        assertEquals("br-full", full.path("Options").path("com.docker.network.bridge.name").asText(), full::toString);
        assertEquals("1400", full.path("Options").path("com.docker.network.driver.mtu").asText(), full::toString);
        assertEquals(Set.of(
                Bridges.parse("{\"Subnet\":\"10.10.0.0/24\",\"IPRange\":\"10.10.0.128/25\",\"Gateway\":\"10.10.0.1\","
                        + "\"AuxiliaryAddresses\":{\"host1\":\"10.10.0.5\"}}"),
                Bridges.parse("{\"Subnet\":\"fd00:1::/64\",\"Gateway\":\"fd00:1::1\"}")),
                Set.copyOf(toList(full.path("IPAM").path("Config"))));
    }

    @Test
    void ipv6SubnetWithHostBitsIsNormalisedWithAWarning(Testbed bed) {
        bed.daemon().start();
        String id = create(bed.docker(), "my-net-ipv6", "--ipv6", "--subnet=fd00:1::1/80", "--gateway=fd00:1::1");
        JsonNode network = inspect(bed.docker(), "my-net-ipv6");
        assertEquals("fd00:1::/80", subnet(network, false).orElseThrow(), network::toString);
        assertTrue(link(bed.host(), device(id)).addresses(false).contains("fd00:1::1/80"));

        HttpReply reply = Bridges.createRaw(bed.api(), "{\"Name\":\"raw-ipv6\",\"EnableIPv6\":true,\"IPAM\":{\"Config\":"
                + "[{\"Subnet\":\"fd00:2::1/80\",\"Gateway\":\"fd00:2::1\"}]}}");
        assertEquals(201, reply.status(), reply::toString);
        assertTrue(Bridges.FULL_ID.matcher(reply.json().path("Id").asText()).matches(), reply::toString);
        assertFalse(reply.json().path("Warning").asText("").isBlank(), () -> "no warning: " + reply);
        assertEquals("fd00:2::/80", subnet(inspect(bed.docker(), "raw-ipv6"), false).orElseThrow());
    }

    @Test
    void ipv6WithoutSubnetTakesConsecutiveSlash64sOfTheEngineUla(Testbed bed) throws Exception {
        bed.daemon().start();
        byte[] ula48 = Bridges.ula48(bed);
        String idA = create(bed.docker(), "--ipv6", "v6a");
        String idB = create(bed.docker(), "--ipv6", "v6b");
        String a = subnet(inspect(bed.docker(), "v6a"), false).orElseThrow();
        String b = subnet(inspect(bed.docker(), "v6b"), false).orElseThrow();
        assertTrue(a.matches("fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/64"), a);
        assertArrayEquals(Bridges.withSubnetId(ula48, 0), Bridges.prefixBytes(a, 64), () -> a + " is not the first /64 of the ULA");
        assertArrayEquals(Bridges.withSubnetId(ula48, 1), Bridges.prefixBytes(b, 64), () -> b + " is not the second /64 of the ULA");
        assertTrue(link(bed.host(), device(idA)).addresses(false).contains(a.replace("::/64", "::1/64")));
        assertTrue(link(bed.host(), device(idB)).addresses(false).contains(b.replace("::/64", "::1/64")));

        String idC = create(bed.docker(), "--ipv4=false", "--ipv6", "v6only");
        LinkState v6only = link(bed.host(), device(idC));
        assertEquals(List.of(), v6only.addresses(true), v6only::toString);
        String c = subnet(inspect(bed.docker(), "v6only"), false).orElseThrow();
        assertArrayEquals(Bridges.withSubnetId(ula48, 2), Bridges.prefixBytes(c, 64), c);
        assertTrue(v6only.addresses(false).contains(c.replace("::/64", "::1/64")), v6only::toString);
        assertTrue(subnet(inspect(bed.docker(), "v6only"), true).isEmpty());
    }

    @Test
    void rmDeletesTheDeviceAndItsAddressesButRefusesPredefinedNetworks(Testbed bed) {
        bed.daemon().start();
        String id = create(bed.docker(), "gone");
        assertTrue(bed.host().hostLink(device(id)).isPresent());
        CommandResult rm = bed.docker().ok("network", "rm", "gone");
        assertEquals("gone\n", rm.stdout());
        assertTrue(absent(bed.host(), device(id)), "device still there after rm");
        assertTrue(bed.host().hostLinks().stream().flatMap(l -> l.addresses().stream())
                .noneMatch(a -> a.startsWith("172.18.")), () -> bed.host().hostLinks().toString());
        assertFalse(NetworkIds.fromApi(bed.api()).containsKey("gone"));

        for (String predefined : List.of("bridge", "host", "none")) {
            CommandResult refused = bed.docker().run("network", "rm", predefined);
            assertEquals(1, refused.exitCode(), refused::describe);
            assertEquals("Error response from daemon: " + predefined + " is a pre-defined network and cannot be removed",
                    refused.stderr().lines().findFirst().orElse(""), refused::describe);
            HttpReply reply = bed.api().send("DELETE", "/v1.50/networks/" + predefined);
            assertEquals(403, reply.status(), reply::toString);
            assertEquals(predefined + " is a pre-defined network and cannot be removed",
                    reply.json().path("message").asText());
        }
        assertTrue(bed.host().hostLink("docker0").isPresent());
        assertEquals(Set.of("bridge", "host", "none"), NetworkIds.fromApi(bed.api()).keySet());
    }

    @Test
    void aFreedSubnetIsReusedFirstFit(Testbed bed) {
        bed.daemon().start();
        create(bed.docker(), "a");
        create(bed.docker(), "b");
        assertEquals("172.18.0.0/16", subnetV4(bed.docker(), "a"));
        assertEquals("172.19.0.0/16", subnetV4(bed.docker(), "b"));
        bed.docker().ok("network", "rm", "a");
        String idC = create(bed.docker(), "c");
        assertEquals("172.18.0.0/16", subnetV4(bed.docker(), "c"));
        assertEquals(List.of("172.18.0.1/16"), link(bed.host(), device(idC)).addresses(true));
    }

    @Test
    void automaticSubnetsSkipRoutesOfTheHostNamespace(Testbed bed) {
        bed.daemon().start();
        bed.host().ipHost("route", "add", "172.18.0.0/16", "via", HostFixture.UPSTREAM_V4);
        String id = create(bed.docker(), "skips");
        assertEquals("172.19.0.0/16", subnetV4(bed.docker(), "skips"));
        assertEquals(List.of("172.19.0.1/16"), link(bed.host(), device(id)).addresses(true));
        bed.host().ipHost("route", "del", "172.18.0.0/16", "via", HostFixture.UPSTREAM_V4);
        create(bed.docker(), "takes");
        assertEquals("172.18.0.0/16", subnetV4(bed.docker(), "takes"));
    }

    @Test
    void defaultAddressPoolsFromDaemonJsonReplaceTheBuiltInOnes(Testbed bed) {
        bed.daemon().writeConfig("{\"default-address-pools\":[{\"base\":\"10.123.0.0/16\",\"size\":24}]}\n");
        bed.daemon().start();
        assertEquals(List.of("10.123.0.1/24"), link(bed.host(), "docker0").addresses(true));
        String id = create(bed.docker(), "pooled");
        assertEquals("10.123.1.0/24", subnetV4(bed.docker(), "pooled"));
        assertEquals(List.of("10.123.1.1/24"), link(bed.host(), device(id)).addresses(true));
        create(bed.docker(), "pooled2");
        assertEquals("10.123.2.0/24", subnetV4(bed.docker(), "pooled2"));
    }

    @Test
    void pruneRemovesUnusedUserNetworksHonouringLabelFilters(Testbed bed) {
        bed.daemon().start();
        DockerCli docker = bed.docker();
        Map<String, String> devices = Map.of(
                "keep", device(create(docker, "--label", "keep", "keep")),
                "keep-yes", device(create(docker, "--label", "keep=yes", "keep-yes")),
                "drop", device(create(docker, "drop")),
                "other", device(create(docker, "--label", "other=1", "other")));
        assertEquals(new TreeSet<>(devices.values()), Bridges.userBridges(bed.host()).keySet());

        assertEquals(List.of("Deleted Networks:", "keep-yes"),
                nonBlankLines(docker.ok("network", "prune", "-f", "--filter", "label=keep=yes")));
        assertEquals(Set.of("bridge", "host", "none", "keep", "drop", "other"), NetworkIds.fromApi(bed.api()).keySet());

        CommandResult notKeep = docker.ok("network", "prune", "-f", "--filter", "label!=keep");
        assertEquals(Set.of("Deleted Networks:", "drop", "other"), Set.copyOf(nonBlankLines(notKeep)), notKeep::describe);
        assertEquals(Set.of("bridge", "host", "none", "keep"), NetworkIds.fromApi(bed.api()).keySet());
        assertEquals(Set.of(devices.get("keep")), Bridges.userBridges(bed.host()).keySet());

        assertEquals(List.of("Deleted Networks:", "keep"), nonBlankLines(docker.ok("network", "prune", "-f")));
        assertEquals("", docker.ok("network", "prune", "-f").stdout());
        assertEquals(Set.of("bridge", "host", "none"), NetworkIds.fromApi(bed.api()).keySet());
        for (String device : devices.values()) {
            assertTrue(absent(bed.host(), device), () -> device + " left after prune");
        }
        assertTrue(bed.host().hostLink("docker0").isPresent(), "prune must not touch docker0");
    }

    /** The CLI ends the prune report with an empty line; only the names matter here. */
    private static List<String> nonBlankLines(CommandResult result) {
        return result.lines().stream().filter(line -> !line.isBlank()).toList();
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
