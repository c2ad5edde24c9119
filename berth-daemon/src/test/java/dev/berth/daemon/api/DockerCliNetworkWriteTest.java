package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.model.Network;
import dev.berth.core.service.network.NetworkFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code docker network create/rm/prune} with the real CLI: what it sends, prints and exits with. */
class DockerCliNetworkWriteTest extends DockerCliCase {
    private JsonNode inspect(String name) throws Exception {
        DockerCli.Run run = docker.run("network", "inspect", name);
        assertEquals(0, run.exit(), run.err());
        return new ObjectMapper().readTree(run.out()).get(0);
    }

    private List<String> names() {
        return daemon.networks.list(NetworkFilter.none()).stream().map(Network::name).toList();
    }

    @Test
    void plainCreatePrintsTheIdAndInspectShowsTheNextPool() throws Exception {
        DockerCli.Run run = docker.run("network", "create", "mynet");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().matches("[0-9a-f]{64}\n"), run.out());
        JsonNode n = inspect("mynet");
        assertEquals(run.out().strip(), n.get("Id").asText());
        assertEquals("172.18.0.0/16", n.at("/IPAM/Config/0/Subnet").asText());
        assertEquals("172.18.0.1", n.at("/IPAM/Config/0/Gateway").asText());
    }

    @Test
    void fullFlagsArriveAndShowInInspect() throws Exception {
        DockerCli.Run run = docker.run("network", "create", "--subnet", "10.10.0.0/24", "--ip-range", "10.10.0.128/25",
                "--gateway", "10.10.0.1", "--aux-address", "host1=10.10.0.5", "--subnet", "fd00:1::/64", "--gateway",
                "fd00:1::1", "--ipv6", "--ipam-opt", "foo=bar", "-o", "com.docker.network.bridge.name=br-x",
                "-o", "com.docker.network.driver.mtu=1400", "--label", "a=b", "--label", "c", "--internal",
                "--attachable", "net2");
        assertEquals(0, run.exit(), run.err());
        JsonNode n = inspect("net2");
        assertEquals("{\"Subnet\":\"10.10.0.0/24\",\"IPRange\":\"10.10.0.128/25\",\"Gateway\":\"10.10.0.1\","
                + "\"AuxiliaryAddresses\":{\"host1\":\"10.10.0.5\"}}", n.at("/IPAM/Config/0").toString());
        assertEquals("{\"Subnet\":\"fd00:1::/64\",\"Gateway\":\"fd00:1::1\"}", n.at("/IPAM/Config/1").toString());
        assertEquals("{\"foo\":\"bar\"}", n.at("/IPAM/Options").toString());
        assertTrue(n.get("Internal").asBoolean() && n.get("Attachable").asBoolean() && n.get("EnableIPv6").asBoolean());
        assertEquals("br-x", n.at("/Options/com.docker.network.bridge.name").asText());
        assertEquals("{\"a\":\"b\",\"c\":\"\"}", n.get("Labels").toString());
    }

    @Test
    void seedIpv6CommandWorksAndIpv6OnlyToo() throws Exception {
        DockerCli.Run seed = docker.run("network", "create", "my-net-ipv6", "--ipv6", "--subnet=fd00:1::1/80",
                "--gateway=fd00:1::1");
        assertEquals(0, seed.exit(), seed.err());
        JsonNode n = inspect("my-net-ipv6");
        assertEquals("fd00:1::/80", n.at("/IPAM/Config/1/Subnet").asText());
        assertEquals("fd00:1::1", n.at("/IPAM/Config/1/Gateway").asText());
        DockerCli.Run only6 = docker.run("network", "create", "--ipv4=false", "--ipv6", "v6only");
        assertEquals(0, only6.exit(), only6.err());
        JsonNode v6 = inspect("v6only");
        assertFalse(v6.get("EnableIPv4").asBoolean());
        assertEquals(1, v6.at("/IPAM/Config").size());
        assertTrue(v6.at("/IPAM/Config/0/Subnet").asText().matches("fd[0-9a-f:]+::/64"), v6.toString());
    }

    @Test
    void removeEchoesTheNameAndForceIgnoresOnlyMissing() throws Exception {
        assertEquals(0, docker.run("network", "create", "gone").exit());
        DockerCli.Run rm = docker.run("network", "rm", "gone");
        assertEquals(0, rm.exit(), rm.err());
        assertEquals("gone\n", rm.out());
        assertFalse(names().contains("gone"));
        DockerCli.Run force = docker.run("network", "rm", "-f", "nosuch");
        assertEquals(0, force.exit(), force.err());
        assertEquals("", force.out());
        DockerCli.Run missing = docker.run("network", "rm", "nosuch");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("Error response from daemon: network nosuch not found"), missing.err());
        DockerCli.Run builtin = docker.run("network", "rm", "bridge");
        assertEquals(1, builtin.exit());
        assertTrue(builtin.err().contains("Error response from daemon: bridge is a pre-defined network and cannot be "
                + "removed"), builtin.err());
    }

    @Test
    void pruneRemovesCustomNetworksHonouringFilters() throws Exception {
        assertEquals(0, docker.run("network", "create", "--label", "keep", "kept").exit());
        assertEquals(0, docker.run("network", "create", "dropme").exit());
        DockerCli.Run young = docker.run("network", "prune", "-f", "--filter", "until=1h");
        assertEquals(0, young.exit(), young.err());
        assertEquals("", young.out());
        DockerCli.Run labelled = docker.run("network", "prune", "-f", "--filter", "label!=keep");
        assertEquals(0, labelled.exit(), labelled.err());
        assertEquals("Deleted Networks:\ndropme\n\n", labelled.out());
        DockerCli.Run all = docker.run("network", "prune", "-f", "--filter", "label=keep");
        assertEquals("Deleted Networks:\nkept\n\n", all.out());
        assertEquals(List.of("bridge", "host", "none"), names());
        DockerCli.Run bad = docker.run("network", "prune", "-f", "--filter", "dangling=true");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("Error response from daemon: invalid filter 'dangling'"), bad.err());
    }

    @Test
    void badInputPrintsDockersErrorsAndChangesNothing() throws Exception {
        assertEquals(0, docker.run("network", "create", "taken").exit());
        List<String> before = names();
        assertCreateFails("network with name taken already exists", "taken");
        assertCreateFails("operation is not permitted on predefined bridge network", "bridge");
        assertCreateFails("plugin \"nosuch\" not found", "-d", "nosuch", "x");
        assertCreateFails("invalid network config:\ninvalid subnet 10.0.0.300/24: invalid CIDR block notation",
                "--subnet", "10.0.0.300/24", "x");
        assertCreateFails("invalid network config:\ninvalid ip-range 10.0.0.0/8: CIDR block is bigger than its parent "
                + "subnet 10.0.0.0/24", "--subnet", "10.0.0.0/24", "--ip-range", "10.0.0.0/8", "x");
        assertCreateFails("Pool overlaps with other one on this address space", "--subnet", "172.17.3.0/24", "x");
        assertCreateFails("invalid value \"9\" for option com.docker.network.driver.mtu: it must be between 68 and "
                + "65535", "-o", "com.docker.network.driver.mtu=9", "x");
        assertCreateFails("IPv4 or IPv6 must be enabled", "--ipv4=false", "x");
        assertEquals(before, names());
    }

    private void assertCreateFails(String message, String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "network";
        command[1] = "create";
        System.arraycopy(args, 0, command, 2, args.length);
        DockerCli.Run run = docker.run(command);
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.err().contains("Error response from daemon: " + message), run.err());
    }
}
