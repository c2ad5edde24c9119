package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Start-up after a crash: every half-made endpoint a crash (or a hand with {@code ip}) can leave
 * while the daemon is down is repaired, so {@code docker inspect} and the kernel agree and traffic
 * flows; a sandbox whose namespace cannot be made again is logged and skipped, never a failed start.
 */
@ExtendWith(TestbedExtension.class)
class RestoreIT {

    @Test
    void everyHalfMadeEndpointIsRepairedAndABrokenSandboxDoesNotStopTheStart(Testbed bed) throws Exception {
        bed.daemon().start();
        bed.docker().ok("network", "create", "net1");
        // "alt" sorts before "net1": a sandbox connected to it takes its default route from there.
        bed.docker().ok("network", "create", "alt");
        List<Box> boxes = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            boxes.add(Box.create(bed, "c" + i, "--network", "net1"));
        }
        bed.docker().ok("network", "connect", "alt", "c5");
        bed.docker().ok("network", "connect", "alt", "c6");
        bed.docker().ok("network", "create", "--ipv6", "--subnet", "fd00:b1:7::/64", "net6");
        Box v6 = Box.create(bed, "v6", "--network", "net6");
        Box broken = Box.create(bed, "broken", "--network", "net1");
        bed.daemon().kill9();

        Box c1 = boxes.get(0);
        c1.in(bed, "ip", "link", "set", "eth0", "down").assertSuccess();
        boxes.get(1).in(bed, "ip", "addr", "flush", "dev", "eth0").assertSuccess();
        boxes.get(2).in(bed, "ip", "link", "del", "eth0").assertSuccess();
        String c4Host = boxes.get(3).hostEnd(bed, "eth0");
        bed.host().ipHost("link", "set", c4Host, "nomaster");
        bed.host().ipHost("link", "set", c4Host, "down");
        // What SIGKILL a few ms into a connect leaves: eth1 made, never configured, on the default route's network.
        boxes.get(4).in(bed, "ip", "link", "set", "eth1", "down").assertSuccess();
        boxes.get(4).in(bed, "ip", "addr", "flush", "dev", "eth1").assertSuccess();
        boxes.get(5).in(bed, "ip", "route", "del", "default").assertSuccess();
        boxes.get(5).in(bed, "ip", "link", "set", "eth1", "mtu", "1400").assertSuccess();
        v6.in(bed, "ip", "-6", "addr", "flush", "dev", "eth0", "scope", "global").assertSuccess();
        // A namespace that cannot be made again: its bind-mount file replaced by a non-empty directory.
        bed.run(List.of("umount", broken.netns().toString())).assertSuccess();
        Files.delete(broken.netns());
        Files.createDirectories(broken.netns().resolve("blocker"));
        try {
            bed.daemon().start();
            for (Box box : boxes) {
                box.assertKernelAgrees(bed);
                assertEquals(1500, box.link(bed, "eth0").orElseThrow().mtu(), box.name() + " eth0 mtu");
                box.assertPings(bed, "172.18.0.1");
                box.assertPings(bed, c1.ip(bed, "net1"));
            }
            assertEquals(1500, boxes.get(5).link(bed, "eth1").orElseThrow().mtu(), "c6 eth1 mtu");
            boxes.get(4).assertPings(bed, boxes.get(5).ip(bed, "alt"));
            assertEquals("172.19.0.1", boxes.get(4).ipJson(bed, "-4", "route", "show", "default").get(0)
                    .path("gateway").asText(), "c5 default route via alt");
            assertEquals(c4Host, boxes.get(3).hostEnd(bed, "eth0"), "c4 kept its pair");
            v6.assertKernelAgrees(bed);
            assertEquals(List.of(v6.endpoints(bed).get("net6").path("GlobalIPv6Address").asText() + "/64"),
                    v6.link(bed, "eth0").orElseThrow().addresses(false).stream().filter(a -> !a.startsWith("fe80")).toList(),
                    "v6 got its IPv6 address back");
            v6.assertPings(bed, "fd00:b1:7::1");
            String bridge = "br-" + bed.docker().ok("network", "inspect", "-f", "{{.Id}}", "net1").stdout()
                    .strip().substring(0, 12);
            assertEquals(bridge, bed.host().ipHostJson("link", "show", c4Host).get(0).path("master").asText(),
                    "c4's host end back on its bridge");
            assertTrue(bed.daemon().stderr().contains("broken"), "the broken sandbox is logged by name");
            bed.docker().ok("inspect", "broken");
            bed.docker().ok("rm", "-f", "broken");
        } finally {
            Files.deleteIfExists(broken.netns().resolve("blocker"));
            Files.deleteIfExists(broken.netns());
        }
    }

    /**
     * SIGKILL at a spread of moments into {@code network connect} and {@code network disconnect}
     * (whichever undoes the last round's outcome): every restart succeeds, and the sandbox is
     * connected as inspect says (working) or not at all. A disconnect cut short leaves the old
     * pair to the link reaper, which removes it within a couple of seconds: hence "eventually".
     * {@code -Dberth.it.killRounds=40 -Djunit.jupiter.execution.timeout.default=900s} for a longer run.
     */
    @Test
    void sigkillDuringConnectOrDisconnectAlwaysRestartsAndConverges(Testbed bed) throws Exception {
        bed.daemon().start();
        bed.docker().ok("network", "create", "net1");
        bed.docker().ok("network", "create", "alt");
        Box a = Box.create(bed, "ca", "--network", "net1");
        Box peer = Box.create(bed, "peer", "--network", "alt");
        String peerIp = peer.ip(bed, "alt");
        int rounds = Integer.getInteger("berth.it.killRounds", 12);
        int[] outcomes = new int[2];
        boolean connected = false;
        for (int round = 0; round < rounds; round++) {
            Process change = bed.docker().start(bed.dir().resolve("change.out"), bed.dir().resolve("change.err"),
                    "network", connected ? "disconnect" : "connect", "alt", "ca");
            // The docker CLI takes ~100-200 ms to send the request; spread the kill around that.
            Thread.sleep(80 + (round / 2) * 20L);
            bed.daemon().kill9();
            change.waitFor(10, TimeUnit.SECONDS);
            bed.daemon().start();
            Poll.eventually(5, "kernel agrees with inspect after round " + round, () -> agrees(bed, a));
            a.assertPings(bed, "172.18.0.1");
            boolean now = a.endpoints(bed).containsKey("alt");
            outcomes[now == connected ? 0 : 1]++;
            if (now) {
                a.assertPings(bed, peerIp);
            }
            connected = now;
        }
        System.out.println("sigkill during connect/disconnect: " + rounds + " rounds, " + outcomes[1] + " changes done, "
                + outcomes[0] + " not done, 0 failed starts");
    }

    private static boolean agrees(Testbed bed, Box box) {
        try {
            box.assertKernelAgrees(bed);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }
}
