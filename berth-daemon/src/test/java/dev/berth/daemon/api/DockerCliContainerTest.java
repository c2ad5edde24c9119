package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code docker create/ps/inspect/rm} and {@code network connect/disconnect} with the real CLI. */
class DockerCliContainerTest extends DockerCliCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void createNet1() throws Exception {
        ok("network", "create", "net1");
    }

    private JsonNode inspect(String... args) throws Exception {
        return JSON.readTree(ok(args).out()).get(0);
    }

    @Test
    void createPrintsTheIdAndInspectShowsTheEndpoint() throws Exception {
        String id = ok("create", "--name", "c1", "--network", "net1", "busybox").out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        JsonNode c1 = inspect("inspect", "c1");
        assertEquals(id, c1.get("Id").asText());
        assertEquals("/c1", c1.get("Name").asText());
        assertEquals("running", c1.at("/State/Status").asText());
        assertEquals("net1", c1.at("/HostConfig/NetworkMode").asText());
        JsonNode net1 = c1.at("/NetworkSettings/Networks/net1");
        List<String> keys = new ArrayList<>();
        net1.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts", "GwPriority", "NetworkID",
                "EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address",
                "GlobalIPv6PrefixLen", "DNSNames"), keys);
        assertEquals("172.18.0.2", net1.get("IPAddress").asText());
        assertEquals(16, net1.get("IPPrefixLen").asInt());
        assertEquals("172.18.0.1", net1.get("Gateway").asText());
        assertEquals("[\"c1\",\"" + id.substring(0, 12) + "\"]", net1.get("DNSNames").toString());
        assertEquals(daemon.networks.inspect("net1").id().value(), net1.get("NetworkID").asText());
        assertEquals("/var/run/berth/netns/" + id.substring(0, 12), c1.at("/NetworkSettings/SandboxKey").asText());
        assertEquals("172.18.0.2\n", ok("inspect", "-f", "{{.NetworkSettings.Networks.net1.IPAddress}}", "c1").out());
        ok("start", "c1");
    }

    @Test
    void networkInspectListsContainersAndConnectDisconnectWork() throws Exception {
        String id = ok("create", "--name", "c1", "--network", "net1", "busybox").out().strip();
        ok("network", "create", "--subnet", "10.10.0.0/24", "net2");
        ok("network", "connect", "--ip", "10.10.0.130", "--alias", "db", "net2", "c1");
        JsonNode containers = inspect("network", "inspect", "net2").get("Containers");
        JsonNode c1 = containers.get(id);
        assertEquals("c1", c1.get("Name").asText());
        assertEquals("10.10.0.130/24", c1.get("IPv4Address").asText());
        assertEquals("", c1.get("IPv6Address").asText());
        assertTrue(c1.get("EndpointID").asText().matches("[0-9a-f]{64}"));
        JsonNode settings = inspect("inspect", "c1").at("/NetworkSettings/Networks/net2");
        assertEquals("{\"IPv4Address\":\"10.10.0.130\"}", settings.get("IPAMConfig").toString());
        assertEquals("[\"db\"]", settings.get("Aliases").toString());
        assertEquals("Error response from daemon: endpoint with name c1 already exists in network net2",
                fails("network", "connect", "net2", "c1"));
        ok("network", "disconnect", "net2", "c1");
        assertEquals("{}", inspect("network", "inspect", "net2").get("Containers").toString());
        assertEquals("Error response from daemon: container " + id + " is not connected to the network net2",
                fails("network", "disconnect", "net2", "c1"));
        assertEquals("Error response from daemon: No such container: nosuch",
                fails("network", "connect", "net2", "nosuch"));
    }

    @Test
    void psListsRunningContainersLikeDocker() throws Exception {
        String id = ok("create", "--name", "c1", "--network", "net1", "busybox").out().strip();
        List<String> lines = ok("ps").out().lines().toList();
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches("CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES"), lines.get(0));
        assertTrue(lines.get(1).startsWith(id.substring(0, 12) + "   berth/sandbox   "), lines.get(1));
        assertTrue(lines.get(1).contains("Up "), lines.get(1));
        assertTrue(lines.get(1).endsWith("c1"), lines.get(1));
        assertEquals("c1 net1\n", ok("ps", "--format", "{{.Names}} {{.Networks}}").out());
        assertEquals(id.substring(0, 12) + "\n", ok("ps", "-q").out());
    }

    @Test
    void rmNeedsForceAndNetworkRmIsRefusedWhileAttached() throws Exception {
        ok("create", "--name", "c1", "--network", "net1", "busybox");
        String endpoint = inspect("inspect", "c1").at("/NetworkSettings/Networks/net1/EndpointID").asText();
        assertEquals("Error response from daemon: error while removing network: network net1 has active endpoints"
                + " (name:\"c1\" id:\"" + endpoint.substring(0, 12) + "\")\nexit status 1",
                fails("network", "rm", "net1"));
        assertTrue(fails("rm", "c1").contains("cannot remove container \"/c1\": container is running"));
        assertEquals("c1\n", ok("rm", "-f", "c1").out());
        assertEquals("", ok("ps", "-q").out());
        assertEquals("net1\n", ok("network", "rm", "net1").out());
    }

    @Test
    void nameConflictsAndBadStaticAddressesFailWithDockersTexts() throws Exception {
        String id = ok("create", "--name", "c1", "busybox").out().strip();
        assertEquals("bridge", inspect("inspect", "c1").at("/HostConfig/NetworkMode").asText());
        String conflict = fails("create", "--name", "c1", "busybox");
        assertTrue(conflict.contains("Conflict. The container name \"/c1\" is already in use by container \"" + id
                + "\". You have to remove (or rename) that container to be able to reuse that name."), conflict);
        String onBridge = fails("create", "--name", "c2", "--ip", "172.17.0.9", "busybox");
        assertTrue(onBridge.contains("user specified IP address is supported on user defined networks only"), onBridge);
        String outside = fails("create", "--name", "c3", "--network", "net1", "--ip", "10.1.1.1", "busybox");
        assertTrue(outside.contains("no configured subnet or ip-range contain the IP address 10.1.1.1"), outside);
        assertEquals("", ok("ps", "-q", "-f", "name=c3").out().replace(id.substring(0, 12) + "\n", ""));
    }

    @Test
    void hostAndNoneModes() throws Exception {
        ok("create", "--name", "h1", "--network", "host", "busybox");
        ok("create", "--name", "n1", "--network", "none", "busybox");
        JsonNode host = inspect("inspect", "h1").at("/NetworkSettings/Networks/host");
        assertEquals("", host.get("IPAddress").asText());
        assertFalse(host.get("EndpointID").asText().isEmpty());
        String shared = fails("network", "connect", "net1", "h1");
        assertTrue(shared.contains("container sharing network namespace with another container or host cannot be"
                + " connected to any other network"), shared);
        JsonNode none = inspect("inspect", "n1").at("/NetworkSettings/Networks/none");
        assertEquals("", none.get("MacAddress").asText());
    }
}
