package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.DaemonProcess;
import dev.berth.it.fixture.DockerCli;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Overlay networks across three simulated hosts ({@link Underlay}) on a real etcd: a network made
 * on one host appears on the others with scope global; addresses are unique cluster-wide; each
 * host has the network's VXLAN device with static FDB and neighbour entries for the other hosts'
 * endpoints; ping, TCP and DNS by name cross hosts; two overlays stay apart; a host whose berthd is
 * SIGKILLed or cut off loses its endpoints on the others within the lease TTL; a host cut off past
 * the TTL renumbers a container whose address was given away meanwhile; published ports and
 * outbound NAT of overlay containers. And an etcd that is down, at start-up or later: the daemon
 * starts and serves local networks, overlay operations answer 503 with nothing made until etcd is
 * back, then work. And TLS to an etcd that requires client certificates.
 */
@ExtendWith(TestbedExtension.class)
class OverlayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TTL = 4;

    private record Host(DaemonProcess daemon, DockerCli docker, String ns) {
        Path netnsOf(String id) {
            return daemon.dir().resolve("exec/netns").resolve(id.substring(0, 12));
        }
    }

    private static Host start(Testbed bed, Underlay underlay, int i) {
        DaemonProcess daemon = bed.daemonIn(underlay.host(i), "host" + i);
        daemon.writeConfig(Underlay.clusterConfig(TTL));
        daemon.start();
        return new Host(daemon, bed.docker(daemon), underlay.host(i));
    }

    private static JsonNode inspect(DockerCli docker, String... what) throws IOException {
        List<String> argv = new ArrayList<>(List.of("inspect"));
        argv.addAll(List.of(what));
        return JSON.readTree(docker.ok(argv.toArray(String[]::new)).stdout()).get(0);
    }

    private static boolean within(long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Underlay.pause(100);
        }
        return condition.getAsBoolean();
    }

    /** The JSON output of a command; an empty list when it fails (a device that is not there). */
    private static JsonNode json(Testbed bed, List<String> argv) {
        CommandResult result = bed.run(argv);
        if (result.exitCode() != 0) {
            return JSON.createArrayNode();
        }
        try {
            return JSON.readTree(result.stdout().isBlank() ? "[]" : result.stdout());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + result.stdout(), e);
        }
    }

    /** The VXLAN FDB entries of a device: "mac dst". */
    private static List<String> fdb(Testbed bed, String ns, String device) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : json(bed, HostFixture.inNamespace(ns, "bridge", "-j", "fdb", "show", "dev", device))) {
            if (e.has("dst")) {
                out.add(e.path("mac").asText() + " " + e.path("dst").asText());
            }
        }
        return out;
    }

    private static List<String> neighbours(Testbed bed, String ns, String device) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : json(bed, HostFixture.inNamespace(ns, "ip", "-j", "neigh", "show", "dev", device))) {
            out.add(e.path("dst").asText() + " " + e.path("lladdr").asText());
        }
        return out;
    }

    /** Whether a host has a device of that name (an overlay's bridge or VXLAN device). */
    private static boolean has(Testbed bed, Host host, String device) {
        return bed.run(HostFixture.inNamespace(host.ns(), "ip", "link", "show", device)).exitCode() == 0;
    }

    /** An overlay's bridge and VXLAN device as Berth makes them, made by hand (what a crash could leave). */
    private static void leaveDevices(Testbed bed, Host host, String bridge, String vxlan, String vni) {
        String group = Integer.toString(dev.berth.core.model.DeviceNames.OWNED_BRIDGE_GROUP);
        bed.run(HostFixture.inNamespace(host.ns(), "ip", "link", "add", bridge, "group", group, "type", "bridge"))
                .assertSuccess();
        bed.run(HostFixture.inNamespace(host.ns(), "ip", "link", "add", vxlan, "group", group, "master", bridge,
                "type", "vxlan", "id", vni, "dstport", "4789", "nolearning")).assertSuccess();
    }

    private static String dig(Testbed bed, Path netns, String name, String... type) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns, "dig", "@127.0.0.11", "+short",
                "+time=1", "+tries=1", name));
        argv.addAll(List.of(type));
        return bed.run(argv).stdout().strip();
    }

    @Test
    void threeHostsShareOverlaysReachEachOtherByNameAndLoseADeadHostsEndpoints(Testbed bed) throws Exception {
        Underlay underlay = Underlay.create(bed, 3);
        underlay.addOutside();
        underlay.startEtcd();
        Host h1 = start(bed, underlay, 1);
        Host h2 = start(bed, underlay, 2);
        Host h3 = start(bed, underlay, 3);

        h1.docker().ok("network", "create", "-d", "overlay", "--ipv6", "--subnet", "10.10.0.0/24",
                "--subnet", "fd00:10::/64", "ov1");
        h2.docker().ok("network", "create", "-d", "overlay", "--attachable", "ov2");
        // the same name from another host: refused cluster-wide
        CommandResult again = h3.docker().run("network", "create", "-d", "overlay", "ov1");
        assertNotEquals(0, again.exitCode());
        assertTrue(again.stderr().contains("network with name ov1 already exists"), again.stderr());
        for (Host h : List.of(h1, h2, h3)) {
            assertTrue(within(10_000, () -> h.docker().run("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}")
                    .stdout().lines().toList().containsAll(List.of("ov1 overlay global", "ov2 overlay global"))),
                    "ov1 and ov2 on " + h.ns() + ": " + h.docker().run("network", "ls").stdout());
        }
        JsonNode ov1 = inspect(h3.docker(), "--type", "network", "ov1");
        assertEquals("global", ov1.path("Scope").asText());
        assertEquals("overlay", ov1.path("Driver").asText());
        assertEquals("10.10.0.0/24", ov1.path("IPAM").path("Config").get(0).path("Subnet").asText());
        assertEquals("fd00:10::/64", ov1.path("IPAM").path("Config").get(1).path("Subnet").asText());
        assertTrue(ov1.path("EnableIPv6").asBoolean());
        String vni1 = ov1.path("Options").path("com.docker.network.driver.overlay.vxlanid_list").asText();
        JsonNode ov2 = inspect(h1.docker(), "--type", "network", "ov2");
        assertEquals("10.0.0.0/24", ov2.path("IPAM").path("Config").get(0).path("Subnet").asText(),
                "automatic overlay subnets come from 10.0.0.0/8 in /24s");
        String vni2 = ov2.path("Options").path("com.docker.network.driver.overlay.vxlanid_list").asText();
        assertEquals(List.of("4097", "4098"), List.of(vni1, vni2));
        // --attachable is kept as given and travels to the other hosts; it refuses nothing (below)
        assertTrue(inspect(h3.docker(), "--type", "network", "ov2").path("Attachable").asBoolean());
        assertFalse(ov1.path("Attachable").asBoolean());
        String ov1Id = ov1.path("Id").asText();
        String vx1 = "vx-" + ov1Id.substring(0, 12);
        String br1 = "br-" + ov1Id.substring(0, 12);
        String vx2 = "vx-" + ov2.path("Id").asText().substring(0, 12);
        for (Host h : List.of(h1, h2, h3)) {
            assertFalse(has(bed, h, vx1) || has(bed, h, br1) || has(bed, h, vx2),
                    "no overlay devices on " + h.ns() + " before it has an endpoint");
        }

        // --ipv6 without an IPv6 subnet: a /64 of the cluster's ULA /48, the same pool on every host
        h3.docker().ok("network", "create", "-d", "overlay", "--ipv6", "ov3");
        h1.docker().ok("network", "create", "-d", "overlay", "--ipv6", "ov4");
        String ov3Subnet = inspect(h1.docker(), "--type", "network", "ov3").path("IPAM").path("Config").get(1)
                .path("Subnet").asText();
        String ov4Subnet = inspect(h3.docker(), "--type", "network", "ov4").path("IPAM").path("Config").get(1)
                .path("Subnet").asText();
        assertTrue(ov3Subnet.matches("fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/64"), ov3Subnet);
        assertEquals(ov3Subnet.replace("::/64", ":1::/64"), ov4Subnet, "the next /64 of the same /48, from another host");
        Box c7 = createOn(bed, h1, "c7", "ov3");
        String c7Ip6 = ip6(h1, "c7", "ov3");
        assertTrue(c7Ip6.startsWith(ov3Subnet.replace("::/64", "::")), c7Ip6 + " in " + ov3Subnet);
        assertTrue(bed.run(List.of("nsenter", "--net=" + c7.netns(), "ip", "-6", "addr", "show")).stdout()
                .contains(c7Ip6 + "/64"));
        h1.docker().ok("rm", "-f", "c7");
        h1.docker().ok("network", "rm", "ov3", "ov4");

        Box c1 = createOn(bed, h1, "c1", "ov1");
        Box c2 = createOn(bed, h2, "c2", "ov1");
        Box c3 = createOn(bed, h3, "c3", "ov2");
        String c1Ip = ip(h1, "c1", "ov1");
        String c2Ip = ip(h2, "c2", "ov1");
        String c3Ip = ip(h3, "c3", "ov2");
        String c1Ip6 = ip6(h1, "c1", "ov1");
        String c2Ip6 = ip6(h2, "c2", "ov1");
        assertTrue(c1Ip6.startsWith("fd00:10::") && !c1Ip6.equals(c2Ip6), c1Ip6 + " " + c2Ip6);
        assertNotEquals(c1Ip, c2Ip, "addresses are unique across hosts");
        String c1Mac = mac(h1, "c1", "ov1");
        String c2Mac = mac(h2, "c2", "ov1");
        // devices only where the network has endpoints: ov1 on hosts 1 and 2, ov2 on host 3
        assertTrue(has(bed, h1, vx1) && has(bed, h2, vx1) && has(bed, h3, vx2));
        assertFalse(has(bed, h3, vx1) || has(bed, h3, br1) || has(bed, h1, vx2) || has(bed, h2, vx2),
                "overlay devices on a host without endpoints on the network");
        assertEquals("1", bed.run(HostFixture.inNamespace(h1.ns(), "cat", "/proc/sys/net/ipv4/conf/" + br1
                + "/route_localnet")).stdout().strip(), "the firewall's sysctl on a bridge made with the first endpoint");

        // the data path: h2's VXLAN device, and its entries for c1 (on h1)
        JsonNode vx = json(bed, HostFixture.inNamespace(h2.ns(), "ip", "-j", "-d", "link", "show", vx1)).path(0);
        JsonNode data = vx.path("linkinfo").path("info_data");
        assertEquals(Integer.parseInt(vni1), data.path("id").asInt(), vx.toString());
        assertEquals(4789, data.path("port").asInt(), vx.toString());
        assertFalse(data.path("learning").asBoolean(true), vx.toString());
        assertTrue(data.path("proxy").asBoolean(false), vx.toString());
        assertEquals(1450, vx.path("mtu").asInt());
        assertEquals("br-" + ov1Id.substring(0, 12), vx.path("master").asText());
        assertTrue(within(5_000, () -> fdb(bed, h2.ns(), vx1).contains(c1Mac + " " + Underlay.address(1))),
                "FDB of " + vx1 + " on host 2: " + fdb(bed, h2.ns(), vx1));
        assertTrue(within(5_000, () -> neighbours(bed, h2.ns(), vx1).containsAll(
                        List.of(c1Ip + " " + c1Mac, c1Ip6 + " " + c1Mac))),
                "neighbours of " + vx1 + " on host 2: " + neighbours(bed, h2.ns(), vx1));
        assertTrue(within(5_000, () -> fdb(bed, h1.ns(), vx1).contains(c2Mac + " " + Underlay.address(2))));
        assertFalse(fdb(bed, h3.ns(), vx1).stream().anyMatch(e -> e.startsWith(c3Ip)), "c3 is not on ov1");
        // a VXLAN device deleted behind the daemon's back is made again, with its entries (reconcile loop)
        bed.run(HostFixture.inNamespace(h2.ns(), "ip", "link", "del", vx1)).assertSuccess();
        assertTrue(within(10_000, () -> fdb(bed, h2.ns(), vx1).contains(c1Mac + " " + Underlay.address(1))),
                "host 2's " + vx1 + " repaired: " + fdb(bed, h2.ns(), vx1));
        // deleted again and a connect on host 2 straight after: the connect makes it again, with its entries
        bed.run(HostFixture.inNamespace(h2.ns(), "ip", "link", "del", vx1)).assertSuccess();
        createOn(bed, h2, "c2b", "ov1");
        assertTrue(fdb(bed, h2.ns(), vx1).contains(c1Mac + " " + Underlay.address(1)),
                "host 2's " + vx1 + " made by the connect: " + fdb(bed, h2.ns(), vx1));
        h2.docker().ok("rm", "-f", "c2b");

        try (Traffic t = new Traffic(bed)) {
            t.serve(c1.netns(), 80);
            t.serve(c3.netns(), 80);
            assertTrue(within(5_000, () -> t.ping(c2.netns(), c1Ip)), "ping c2 (host 2) -> c1 (host 1) over ov1");
            assertEquals(c2Ip, t.connect(c2.netns(), c1Ip, 80), "TCP c2 -> c1 keeps the source");
            assertTrue(within(5_000, () -> t.ping(c2.netns(), c1Ip6)), "ping -6 c2 (host 2) -> c1 (host 1) over ov1");
            assertEquals(c2Ip6, t.connect(c2.netns(), c1Ip6, 80), "TCP over IPv6 c2 -> c1");
            assertTrue(within(5_000, () -> dig(bed, c2.netns(), "c1").equals(c1Ip)),
                    "c2 resolves c1 (on host 1): " + dig(bed, c2.netns(), "c1"));
            assertEquals(c2Ip, dig(bed, c1.netns(), "c2"), "c1 resolves c2 (on host 2)");
            assertEquals(c1Ip6, dig(bed, c2.netns(), "c1", "AAAA"), "AAAA of c1 from host 2");
            assertEquals("", dig(bed, c1.netns(), "c3"), "c3 is on another overlay: no name for c1");
            assertFalse(t.ping(c1.netns(), c3Ip), "ov1 -> ov2");
            assertTrue(t.connect(c1.netns(), c3Ip, 80).startsWith("FAIL"), "TCP ov1 -> ov2");
            assertTrue(t.connect(c3.netns(), c1Ip, 80).startsWith("FAIL"), "TCP ov2 -> ov1");

            // a published port of an overlay container, reached from the underlay; and outbound traffic
            // NATed by its host (the source the outside world sees is the host's underlay address)
            Box web = createOn(bed, h1, "web", "ov1", "-p", "8080:80");
            t.serve(web.netns(), 80);
            Path outside = Traffic.named(underlay.underlayNamespace());
            t.serve(outside, 80);
            String fromUnderlay = t.connect(outside, Underlay.address(1), 8080);
            assertFalse(fromUnderlay.startsWith("FAIL"), "underlay -> host 1:8080 -> web on ov1: " + fromUnderlay);
            assertEquals(Underlay.ETCD_ADDRESS, fromUnderlay, "a published port keeps the client's address");
            assertFalse(t.connect(Traffic.named(h2.ns()), Underlay.address(1), 8080).startsWith("FAIL"),
                    "host 2 -> host 1:8080 -> web");
            assertEquals(Underlay.address(1), t.connect(c1.netns(), Underlay.OUTSIDE, 80),
                    "c1 (ov1 on host 1) -> the outside world, NATed to host 1's address");
            assertEquals(Underlay.address(2), t.connect(c2.netns(), Underlay.OUTSIDE, 80),
                    "c2 (ov1 on host 2) leaves through its own host");
            h1.docker().ok("rm", "-f", "web");
        }

        // a container on the default bridge connected to ov1, which is not attachable: Berth refuses no
        // connect for that (every endpoint is a standalone container's; see README). Host 3's first ov1
        // endpoint makes ov1's devices there, with the other hosts' endpoints
        h3.docker().ok("create", "--name", "c6", "busybox");
        h3.docker().ok("network", "connect", "ov1", "c6");
        assertTrue(has(bed, h3, vx1) && has(bed, h3, br1), "ov1's devices made with host 3's first endpoint");
        assertTrue(fdb(bed, h3.ns(), vx1).containsAll(List.of(c1Mac + " " + Underlay.address(1),
                c2Mac + " " + Underlay.address(2))), "a new VXLAN device gets the remote endpoints: " + fdb(bed, h3.ns(), vx1));

        // host 3 cut off (its underlay link down): its lease lapses and c6 leaves host 1; back, host 3
        // joins again and announces c6 again
        String c6Entry = mac(h3, "c6", "ov1") + " " + Underlay.address(3);
        assertTrue(within(5_000, () -> fdb(bed, h1.ns(), vx1).contains(c6Entry)), fdb(bed, h1.ns(), vx1).toString());
        bed.run(HostFixture.inNamespace(h3.ns(), "ip", "link", "set", "eth0", "down")).assertSuccess();
        assertTrue(within((TTL + 8) * 1000L, () -> !fdb(bed, h1.ns(), vx1).contains(c6Entry)),
                "c6 still on host 1 with its host cut off: " + fdb(bed, h1.ns(), vx1));
        bed.run(HostFixture.inNamespace(h3.ns(), "ip", "link", "set", "eth0", "up")).assertSuccess();
        assertTrue(within(20_000, () -> fdb(bed, h1.ns(), vx1).contains(c6Entry)),
                "c6 back on host 1 after its host rejoined: " + fdb(bed, h1.ns(), vx1) + "\n" + h3.daemon().stderr());
        // its last ov1 endpoint gone, host 3 has no ov1 devices again
        h3.docker().ok("network", "disconnect", "ov1", "c6");
        assertFalse(has(bed, h3, vx1) || has(bed, h3, br1), "ov1's devices went with host 3's last endpoint");
        h3.docker().ok("rm", "-f", "c6");
        // the same left behind while the daemon runs: the reconcile loop removes them
        leaveDevices(bed, h3, br1, vx1, vni1);
        assertTrue(within(10_000, () -> !has(bed, h3, vx1) && !has(bed, h3, br1)), h3.daemon().stderr());
        assertTrue(h3.daemon().stderr().contains(br1 + " and " + vx1 + " present, but network ov1 has no endpoint"
                + " on this host"), h3.daemon().stderr());

        // a removal while another host has endpoints is refused
        CommandResult busy = h3.docker().run("network", "rm", "ov1");
        assertNotEquals(0, busy.exitCode());
        assertTrue(busy.stderr().contains("has active endpoints"), busy.stderr());

        // host 2's berthd dies: its lease lapses and c2 leaves host 1's FDB, neighbours and DNS
        h2.daemon().kill9();
        assertTrue(within((TTL + 8) * 1000L, () -> !fdb(bed, h1.ns(), vx1).contains(c2Mac + " " + Underlay.address(2))),
                "c2 still in host 1's FDB " + (TTL + 8) + " s after its host died: " + fdb(bed, h1.ns(), vx1));
        assertFalse(neighbours(bed, h1.ns(), vx1).contains(c2Ip + " " + c2Mac));
        assertEquals("", dig(bed, c1.netns(), "c2"), "c2's name went with its host");

        // host 2 back: it announces c2 again and host 1 reaches it
        h2.daemon().start();
        assertTrue(within(10_000, () -> fdb(bed, h1.ns(), vx1).contains(c2Mac + " " + Underlay.address(2))),
                "c2 back in host 1's FDB: " + fdb(bed, h1.ns(), vx1));
        assertTrue(within(5_000, () -> dig(bed, c1.netns(), "c2").equals(c2Ip)), "c2's name back");

        // host 1 down while c2 goes: at its restart it drops c2's stale entries (converged to the store)
        h1.daemon().kill9();
        h2.docker().ok("rm", "-f", "c2");
        assertFalse(has(bed, h2, vx1) || has(bed, h2, br1), "ov1's devices went with host 2's last endpoint");
        h1.daemon().start();
        assertTrue(within(10_000, () -> h1.daemon().stderr().contains("cluster: joined")), h1.daemon().stderr());
        assertTrue(has(bed, h1, vx1) && has(bed, h1, br1), "a restarted host keeps the devices of its endpoints' network");
        assertTrue(within(5_000, () -> !fdb(bed, h1.ns(), vx1).contains(c2Mac + " " + Underlay.address(2))),
                "c2's stale entry swept from host 1's FDB: " + fdb(bed, h1.ns(), vx1));
        assertFalse(neighbours(bed, h1.ns(), vx1).contains(c2Ip + " " + c2Mac));

        // devices a crash left on a host without endpoints on the network (made here by hand, as Berth
        // makes them) are removed at its restart
        h2.daemon().kill9();
        leaveDevices(bed, h2, br1, vx1, vni1);
        h2.daemon().start();
        assertTrue(within(10_000, () -> !has(bed, h2, vx1) && !has(bed, h2, br1)),
                "leftover devices of ov1 removed at host 2's restart");
        assertTrue(within(10_000, () -> h2.daemon().stderr().contains("cluster: joined")), h2.daemon().stderr());

        // host 2 cut off (link down) longer than the TTL while host 1 gives c4's address to c5: back, host 2
        // does not announce c4 over c5 but renumbers c4 (interface, DNS), so no address has two holders
        Box c4 = createOn(bed, h2, "c4", "ov1", "-p", "8081:81");
        String c4Ip = ip(h2, "c4", "ov1");
        String c4Mac = mac(h2, "c4", "ov1");
        String c4Entry = c4Mac + " " + Underlay.address(2);
        assertTrue(within(5_000, () -> fdb(bed, h1.ns(), vx1).contains(c4Entry)));
        bed.run(HostFixture.inNamespace(h2.ns(), "ip", "link", "set", "eth0", "down")).assertSuccess();
        assertTrue(within((TTL + 8) * 1000L, () -> !fdb(bed, h1.ns(), vx1).contains(c4Entry)),
                "c4 still on host 1 with its host cut off: " + fdb(bed, h1.ns(), vx1));
        Box c5 = createOn(bed, h1, "c5", "ov1", "--ip", c4Ip);
        String c5Mac = mac(h1, "c5", "ov1");
        bed.run(HostFixture.inNamespace(h2.ns(), "ip", "link", "set", "eth0", "up")).assertSuccess();
        assertTrue(within(20_000, () -> h2.daemon().stderr().contains("renumbered from " + c4Ip)),
                h2.daemon().stderr());
        String c4New = ip(h2, "c4", "ov1");
        assertNotEquals(c4Ip, c4New, "c4 renumbered");
        assertEquals(c4Ip, ip(h1, "c5", "ov1"), "c5 keeps the address it was given");
        assertNotEquals(ip6(h1, "c5", "ov1"), ip6(h2, "c4", "ov1"), "(and its IPv6 address, c4's before too)");
        String c4Addrs = bed.run(List.of("nsenter", "--net=" + c4.netns(), "ip", "-4", "-o", "addr", "show"))
                .stdout();
        assertTrue(c4Addrs.contains(" " + c4New + "/") && !c4Addrs.contains(" " + c4Ip + "/"),
                "c4's interface holds its new address only: " + c4Addrs);
        assertTrue(within(5_000, () -> fdb(bed, h1.ns(), vx1).contains(c4Entry)
                        && neighbours(bed, h1.ns(), vx1).contains(c4New + " " + c4Mac)),
                "c4 announced again with its new address: " + neighbours(bed, h1.ns(), vx1));
        assertFalse(neighbours(bed, h1.ns(), vx1).contains(c4Ip + " " + c4Mac), "no entry of c4 at c5's address");
        assertTrue(within(5_000, () -> neighbours(bed, h2.ns(), vx1).contains(c4Ip + " " + c5Mac)),
                "host 2 reaches c5's address at c5: " + neighbours(bed, h2.ns(), vx1));
        assertTrue(within(5_000, () -> dig(bed, c1.netns(), "c4").equals(c4New)), dig(bed, c1.netns(), "c4"));
        assertEquals(c4Ip, dig(bed, c4.netns(), "c5"));
        try (Traffic t = new Traffic(bed)) {
            t.serve(c5.netns(), 80);
            t.serve(c4.netns(), 80);
            assertTrue(within(5_000, () -> t.ping(c1.netns(), c4New)), "c1 (host 1) -> c4 at its new address");
            assertEquals(c4New, t.connect(c4.netns(), c4Ip, 80), "c4 (host 2) -> c5 (host 1) at the address both had");
            assertEquals(ip(h1, "c1", "ov1"), t.connect(c1.netns(), c4New, 80), "c1 -> c4");
            t.serve(c4.netns(), 81);
            assertFalse(t.connect(Traffic.named(underlay.underlayNamespace()), Underlay.address(2), 8081)
                    .startsWith("FAIL"), () -> "c4's published port follows its new address (c5 has no port 81), its default route is back: "
                    + bed.run(List.of("nsenter", "--net=" + c4.netns(), "ip", "route")).stdout());
        }

        // the cluster keeps working: a removal on one host removes the network everywhere
        h3.docker().ok("rm", "-f", "c3");
        assertFalse(has(bed, h3, vx2), "ov2's VXLAN device went with its last endpoint");
        h1.docker().ok("network", "rm", "ov2");
        assertTrue(within(10_000, () -> !h3.docker().ok("network", "ls", "--format", "{{.Name}}").stdout()
                .lines().toList().contains("ov2")), "ov2 gone from host 3");
        assertEquals(List.of(), vertxCaches(), "the etcd client (Vert.x inside jetcd) makes no directory in /tmp");
    }

    /** Vert.x's per-instance file caches in the temporary directory (it makes one unless told not to). */
    private static List<Path> vertxCaches() throws IOException {
        try (var entries = java.nio.file.Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")),
                "vertx-cache-*")) {
            List<Path> found = new ArrayList<>();
            entries.forEach(found::add);
            return found;
        }
    }

    @Test
    void anEtcdDownLeavesLocalNetworksWorkingAndOverlaysWaitingWith503(Testbed bed) throws Exception {
        Underlay underlay = Underlay.create(bed, 1);
        DaemonProcess daemon = bed.daemonIn(underlay.host(1), "host1");
        daemon.writeConfig(Underlay.clusterConfig(TTL));
        daemon.start();
        DockerCli docker = bed.docker(daemon);
        assertTrue(within(5_000, () -> daemon.stderr().contains("cluster store etcd://198.51.100.1:2379 unreachable")),
                daemon.stderr());
        docker.ok("network", "create", "local1");
        CommandResult refused = docker.run("network", "create", "-d", "overlay", "ov1");
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderr().contains("cluster store etcd://198.51.100.1:2379 is unavailable"), refused.stderr());
        assertFalse(docker.ok("network", "ls", "--format", "{{.Name}}").stdout().contains("ov1"), "nothing half-made");
        HttpStatus.assertStatus(bed, daemon, 503);

        underlay.startEtcd();
        assertTrue(within(15_000, () -> daemon.stderr().contains("cluster: joined etcd://198.51.100.1:2379")),
                daemon.stderr());
        docker.ok("network", "create", "-d", "overlay", "ov1");
        assertEquals("global", inspect(docker, "--type", "network", "ov1").path("Scope").asText());
        docker.ok("network", "create", "-d", "overlay", "--internal", "--attachable", "ovi");
        JsonNode ovi = inspect(docker, "--type", "network", "ovi");
        assertTrue(ovi.path("Internal").asBoolean() && ovi.path("Attachable").asBoolean(), ovi.toString());
        assertEquals("10.0.1.0/24", ovi.path("IPAM").path("Config").get(0).path("Subnet").asText());
        docker.ok("network", "rm", "ovi");

        // etcd goes away while the daemon runs: overlay changes are 503 and change nothing, local ones work
        underlay.stopEtcd();
        CommandResult down = docker.run("network", "create", "-d", "overlay", "ov2");
        assertNotEquals(0, down.exitCode());
        assertTrue(down.stderr().contains("is unavailable"), down.stderr());
        CommandResult connect = docker.run("create", "--name", "c1", "--network", "ov1", "busybox");
        assertNotEquals(0, connect.exitCode());
        assertTrue(connect.stderr().contains("is unavailable"), connect.stderr());
        assertEquals("", docker.ok("ps", "-aq").stdout().strip(), "nothing half-made");
        docker.ok("network", "create", "local2");
        // and back (same data): everything resumes
        underlay.startEtcd();
        assertTrue(within(20_000, () -> docker.run("network", "create", "-d", "overlay", "ov2").exitCode() == 0),
                daemon.stderr());
        docker.ok("create", "--name", "c1", "--network", "ov1", "busybox");
        docker.ok("rm", "-f", "c1");
        docker.ok("network", "rm", "ov1", "ov2", "local1", "local2");
    }

    /**
     * A malformed {@code ipv6-pool} in etcd (put there before any host joined): the host joins, says so in its
     * log and uses none; an IPv6 overlay without its IPv6 subnet is then refused with nothing reserved in etcd
     * and nothing made here, and the value stays as it is; with its subnet given the overlay is made.
     */
    @Test
    void aMalformedIpv6PoolInEtcdIsLoggedAndNotUsed(Testbed bed) throws Exception {
        Underlay underlay = Underlay.create(bed, 1);
        underlay.startEtcd();
        underlay.etcdPut("/berth/v1/ipv6-pool", "fd00:12::/zz");
        Host h1 = start(bed, underlay, 1);
        assertTrue(within(15_000, () -> h1.daemon().stderr().contains("cluster: joined etcd://198.51.100.1:2379")),
                h1.daemon().stderr());
        assertTrue(h1.daemon().stderr().lines().anyMatch(l -> l.contains("level=warning")
                && l.contains("cluster: skipping malformed /berth/v1/ipv6-pool") && l.contains("fd00:12::/zz")),
                h1.daemon().stderr());
        java.util.Map<String, String> before = underlay.etcdRange("/berth/v1/");

        CommandResult refused = h1.docker().run("network", "create", "-d", "overlay", "--ipv6", "ov6");

        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderr().contains("needs its IPv6 subnet given (--subnet): the cluster has no IPv6 pool"),
                refused.stderr());
        assertFalse(h1.docker().ok("network", "ls", "--format", "{{.Name}}").stdout().contains("ov6"),
                "nothing half-made");
        assertEquals(before, underlay.etcdRange("/berth/v1/"), "nothing reserved in etcd, the malformed value kept");
        assertEquals("fd00:12::/zz", before.get("/berth/v1/ipv6-pool"));
        h1.docker().ok("network", "create", "-d", "overlay", "--ipv6", "--subnet", "fd00:66::/64", "ov6");
        List<String> subnets = new ArrayList<>();
        inspect(h1.docker(), "--type", "network", "ov6").path("IPAM").path("Config")
                .forEach(c -> subnets.add(c.path("Subnet").asText()));
        assertTrue(subnets.contains("fd00:66::/64"), subnets.toString());
        assertTrue(h1.daemon().stderr().contains("cluster: joined"), "still a member");
        h1.docker().ok("network", "rm", "ov6");
    }

    /**
     * TLS to etcd as dockerd took it ({@code kv.cacertfile}, {@code kv.certfile}, {@code kv.keyfile}) on an etcd
     * that requires client certificates: a client certificate of another CA, and a key file that is not a key,
     * each leave the daemon up with a warning, local networks working and overlays 503; the right files join.
     */
    @Test
    void tlsToAnEtcdThatRequiresClientCertificates(Testbed bed) throws Exception {
        Underlay underlay = Underlay.create(bed, 1);
        Path certs = underlay.makeCertificates(bed.dir().resolve("certs"));
        underlay.startEtcdTls(certs);
        CommandResult anonymous = bed.run(HostFixture.inNamespace(underlay.underlayNamespace(), "curl", "-s", "-m", "2",
                "--cacert", certs.resolve("ca.pem").toString(), "https://" + Underlay.ETCD_ADDRESS + ":2379/health"));
        assertFalse(anonymous.stdout().contains("\"health\":\"true\""), "etcd answers a client without a certificate: "
                + anonymous.stdout());
        DaemonProcess daemon = bed.daemonIn(underlay.host(1), "host1");
        DockerCli docker = bed.docker(daemon);

        daemon.writeConfig(tlsConfig(certs, "rogue.pem", "rogue.key"));
        daemon.start();
        assertTrue(within(15_000, () -> daemon.stderr().contains("cluster store etcd://198.51.100.1:2379 unreachable (")
                && daemon.stderr().contains("over TLS this is also how a refused handshake shows")),
                daemon.stderr());
        docker.ok("network", "create", "local1");
        HttpStatus.assertStatus(bed, daemon, 503);
        daemon.stop();

        daemon.writeConfig(tlsConfig(certs, "client.pem", "ca.pem"));
        daemon.start();
        assertTrue(within(10_000, () -> daemon.stderr().contains("unreachable (TLS: the CA " + certs.resolve("ca.pem"))),
                daemon.stderr());
        HttpStatus.assertStatus(bed, daemon, 503);
        daemon.stop();

        daemon.writeConfig(tlsConfig(certs, "client.pem", "client.key"));
        daemon.start();
        assertTrue(within(15_000, () -> daemon.stderr().contains("cluster: joined etcd://198.51.100.1:2379")),
                daemon.stderr());
        docker.ok("network", "create", "-d", "overlay", "ov1");
        assertEquals("global", inspect(docker, "--type", "network", "ov1").path("Scope").asText());
        docker.ok("create", "--name", "c1", "--network", "ov1", "busybox");
        docker.ok("rm", "-f", "c1");
        docker.ok("network", "rm", "ov1", "local1");
    }

    private static String tlsConfig(Path certs, String cert, String key) {
        return "{\"cluster-store\": \"etcd://" + Underlay.ETCD_ADDRESS + ":" + Underlay.ETCD_PORT + "\","
                + " \"cluster-advertise\": \"eth0\", \"cluster-store-opts\": {\"discovery.ttl\": \"" + TTL + "\","
                + " \"kv.cacertfile\": \"" + certs.resolve("ca.pem") + "\", \"kv.certfile\": \"" + certs.resolve(cert)
                + "\", \"kv.keyfile\": \"" + certs.resolve(key) + "\"}}";
    }

    private static Box createOn(Testbed bed, Host host, String name, String network, String... more) {
        List<String> argv = new ArrayList<>(List.of("create", "--name", name, "--network", network));
        argv.addAll(List.of(more));
        argv.add("busybox");
        String id = host.docker().ok(argv.toArray(String[]::new)).stdout().strip();
        return new Box(name, id, host.netnsOf(id));
    }

    private static String ip(Host host, String container, String network) throws IOException {
        return inspect(host.docker(), container).path("NetworkSettings").path("Networks").path(network)
                .path("IPAddress").asText();
    }

    private static String ip6(Host host, String container, String network) throws IOException {
        return inspect(host.docker(), container).path("NetworkSettings").path("Networks").path(network)
                .path("GlobalIPv6Address").asText();
    }

    private static String mac(Host host, String container, String network) throws IOException {
        return inspect(host.docker(), container).path("NetworkSettings").path("Networks").path(network)
                .path("MacAddress").asText();
    }

    /** The API's status for an overlay create while etcd is down. */
    private static final class HttpStatus {
        static void assertStatus(Testbed bed, DaemonProcess daemon, int status) {
            var reply = new dev.berth.it.fixture.UnixHttpClient(daemon.socket(), java.time.Duration.ofSeconds(10))
                    .send("POST", "/v1.50/networks/create", "application/json",
                            "{\"Name\":\"ov9\",\"Driver\":\"overlay\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(status, reply.status(), reply.toString());
        }
    }
}
