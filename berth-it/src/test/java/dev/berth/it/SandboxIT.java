package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sandboxes on the real kernel: {@code docker create} makes a namespace with a veth into the
 * bridge, addresses, MAC and default routes; sandboxes reach each other and the gateway;
 * connect/disconnect add and remove interfaces; {@code rm -f} removes namespace and veth.
 */
@ExtendWith(TestbedExtension.class)
class SandboxIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CommandResult in(Testbed bed, Box box, String... command) {
        return box.in(bed, command);
    }

    private static JsonNode json(CommandResult result) {
        return Box.json(result);
    }

    private static LinkState link(Testbed bed, Box box, String name) {
        return LinkState.fromJson(json(in(bed, box, "ip", "-j", "addr", "show", "dev", name)).get(0));
    }

    private static JsonNode inspect(Testbed bed, String container, String network) throws Exception {
        return JSON.readTree(bed.docker().ok("inspect", container).stdout()).get(0)
                .path("NetworkSettings").path("Networks").path(network);
    }

    private static void ping(Testbed bed, Box from, String to) {
        in(bed, from, "ping", to.contains(":") ? "-6" : "-4", "-c", "1", "-W", "3", to).assertSuccess();
    }

    private static int bridgePorts(Testbed bed, String bridge) {
        return bed.host().ipHostJson("link", "show", "master", bridge).size();
    }

    private static String sysctl(Testbed bed, String key) {
        return bed.run(HostFixture.inNamespace(bed.host().hostNs(), "sysctl", "-n", key)).assertSuccess()
                .stdout().strip();
    }

    @Test
    void sandboxesGetAddressesRoutesAndReachEachOther(Testbed bed) throws Exception {
        bed.daemon().start();
        String netId = bed.docker().ok("network", "create", "net1").stdout().strip();
        String bridge = "br-" + netId.substring(0, 12);
        Box c1 = Box.create(bed, "c1", "--network", "net1");
        Box c2 = Box.create(bed, "c2", "--network", "net1");
        JsonNode settings = inspect(bed, "c1", "net1");
        LinkState eth0 = link(bed, c1, "eth0");
        assertTrue(eth0.isUp(), eth0::toString);
        assertEquals(List.of("172.18.0.2/16"), eth0.addresses(true));
        assertEquals(settings.path("MacAddress").asText(), eth0.mac());
        assertTrue(link(bed, c1, "lo").isUp());
        // IPv4-only network: no IPv6 on eth0 (as Docker), ::1 stays on lo; the host end has no IPv6
        assertEquals("1", in(bed, c1, "sysctl", "-n", "net.ipv6.conf.eth0.disable_ipv6").assertSuccess().stdout().strip());
        assertEquals(List.of(), eth0.addresses(false));
        assertEquals(List.of("::1/128"), link(bed, c1, "lo").addresses(false));
        String hostEnd = bed.host().ipHostJson("link", "show", "master", bridge).get(0).path("ifname").asText();
        assertEquals("1", sysctl(bed, "net.ipv6.conf." + hostEnd + ".disable_ipv6"));
        JsonNode route = json(in(bed, c1, "ip", "-j", "-4", "route", "show", "default"));
        assertEquals("172.18.0.1", route.get(0).path("gateway").asText(), route::toString);
        assertEquals("eth0", route.get(0).path("dev").asText(), route::toString);
        assertEquals(2, bridgePorts(bed, bridge));
        assertEquals("1", sysctl(bed, "net.ipv4.ip_forward"));
        ping(bed, c1, "172.18.0.3");
        ping(bed, c2, "172.18.0.2");
        ping(bed, c1, "172.18.0.1");

        bed.docker().ok("network", "create", "--subnet", "10.20.0.0/24", "net2");
        bed.docker().ok("network", "connect", "--ip", "10.20.0.9", "net2", "c1");
        assertEquals(List.of("10.20.0.9/24"), link(bed, c1, "eth1").addresses(true));
        ping(bed, c1, "10.20.0.1");
        bed.docker().ok("network", "disconnect", "net2", "c1");
        Poll.eventually(5, "eth1 gone from c1", () -> in(bed, c1, "ip", "link", "show", "eth1").exitCode() != 0);

        CommandResult refused = bed.docker().run("network", "rm", "net1");
        assertEquals(1, refused.exitCode(), refused::describe);
        assertTrue(refused.stderr().contains("error while removing network: network net1 has active endpoints"),
                refused::describe);
        bed.docker().ok("rm", "-f", "c1");
        assertFalse(Files.exists(c1.netns()), "namespace file of c1 still there");
        Poll.eventually(5, "c1's veth gone from " + bridge, () -> bridgePorts(bed, bridge) == 1);
        refused = bed.docker().run("network", "rm", "net1");
        assertTrue(refused.stderr().contains("(name:\"c2\" id:\""), refused::describe);
        ping(bed, c2, "172.18.0.1");
    }

    @Test
    void ipv6NetworkGivesBothFamiliesAndKeepsRouterAdvertisementsOnTheUplink(Testbed bed) throws Exception {
        bed.daemon().start();
        assertEquals("1", sysctl(bed, "net.ipv6.conf." + HostFixture.UPLINK + ".accept_ra"));
        bed.docker().ok("network", "create", "--ipv6", "--subnet", "fd00:b1:1::/64", "net6");
        Box c1 = Box.create(bed, "c1", "--network", "net6");
        Box c2 = Box.create(bed, "c2", "--network", "net6");
        JsonNode settings = inspect(bed, "c1", "net6");
        assertEquals("fd00:b1:1::2", settings.path("GlobalIPv6Address").asText());
        assertEquals("fd00:b1:1::1", settings.path("IPv6Gateway").asText());
        assertTrue(link(bed, c1, "eth0").addresses(false).contains("fd00:b1:1::2/64"));
        assertEquals("0", in(bed, c1, "sysctl", "-n", "net.ipv6.conf.eth0.disable_ipv6").assertSuccess().stdout().strip());
        JsonNode route = json(in(bed, c1, "ip", "-j", "-6", "route", "show", "default"));
        assertEquals("fd00:b1:1::1", route.get(0).path("gateway").asText(), route::toString);
        assertEquals("1", sysctl(bed, "net.ipv6.conf.all.forwarding"));
        assertEquals("2", sysctl(bed, "net.ipv6.conf." + HostFixture.UPLINK + ".accept_ra"));
        ping(bed, c1, "fd00:b1:1::3");
        ping(bed, c2, "fd00:b1:1::1");
        ping(bed, c1, settings.path("Gateway").asText());
        ping(bed, c1, inspect(bed, "c2", "net6").path("IPAddress").asText());
    }

    @Test
    void restartBringsSandboxesBackWithTheirAddresses(Testbed bed) throws Exception {
        bed.daemon().start();
        bed.docker().ok("network", "create", "net1");
        Box c1 = Box.create(bed, "c1", "--network", "net1");
        Box c2 = Box.create(bed, "c2", "--network", "net1");
        String mac = inspect(bed, "c1", "net1").path("MacAddress").asText();
        Object inode = Files.getAttribute(c1.netns(), "unix:ino");
        bed.daemon().restart();
        assertTrue(Files.exists(c1.netns()));
        // a graceful stop leaves the namespace mounted and the next daemon adopts it (not a new one)
        assertEquals(inode, Files.getAttribute(c1.netns(), "unix:ino"), "the same namespace after a restart");
        LinkState eth0 = link(bed, c1, "eth0");
        assertEquals(List.of("172.18.0.2/16"), eth0.addresses(true));
        assertEquals(mac, eth0.mac());
        ping(bed, c1, "172.18.0.3");
        ping(bed, c2, "172.18.0.1");
        Box c3 = Box.create(bed, "c3", "--network", "net1");
        assertEquals(List.of("172.18.0.4/16"), link(bed, c3, "eth0").addresses(true));
    }

    @Test
    void startUpRemovesVethsOfNoEndpointAndForeignNamespaces(Testbed bed) throws Exception {
        bed.daemon().start();
        String netId = bed.docker().ok("network", "create", "net1").stdout().strip();
        String bridge = "br-" + netId.substring(0, 12);
        Box c1 = Box.create(bed, "c1", "--network", "net1");
        bed.daemon().kill9();
        // What a crash between "store forgot the endpoint" and "link deleted" leaves behind.
        bed.host().ipHost("link", "add", "vethdead0", "type", "veth", "peer", "name", "deadpeer0");
        bed.host().ipHost("link", "set", "vethdead0", "master", bridge);
        assertEquals(2, bridgePorts(bed, bridge));
        Path stray = c1.netns().resolveSibling("0123456789ab");
        Files.writeString(stray, "");
        bed.daemon().start();
        Poll.eventually(5, "vethdead0 removed", () -> bed.host().hostLink("vethdead0").isEmpty());
        assertFalse(Files.exists(stray), "namespace file of no sandbox kept");
        assertEquals(1, bridgePorts(bed, bridge));
        ping(bed, c1, "172.18.0.1");
    }
}
