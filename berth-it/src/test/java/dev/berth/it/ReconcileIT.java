package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kernel drift while the daemon runs: a bridge deleted, its gateway address removed, the firewall
 * table flushed or deleted, a sandbox's veth deleted. Each is repaired within 5 s (polled),
 * traffic (ping, masquerade, a published port) works after, and a {@code network reconcile} event
 * says what was repaired.
 */
@ExtendWith(TestbedExtension.class)
class ReconcileIT {
    private static final double WITHIN = 5;
    private static final int WHOAMI = 9000;

    @Test
    void driftIsRepairedWithinFiveSecondsAndReported(Testbed bed) throws Exception {
        bed.daemon().start();
        String netId = Bridges.create(bed.docker(), "net1");
        String bridge = Bridges.device(netId);
        Box c1 = Box.create(bed, "c1", "--network", "net1");
        Box c2 = Box.create(bed, "c2", "--network", "net1", "-p", "8080:80");
        String c2Ip = c2.ip(bed, "net1");
        int rules = ruleCount(bed).orElseThrow();
        try (Traffic t = new Traffic(bed)) {
            t.serve(Traffic.named(bed.host().upstreamNs()), WHOAMI);
            t.serve(c2.netns(), 80);
            assertEquals(HostFixture.HOST_V4, t.connect(c1.netns(), HostFixture.UPSTREAM_V4, WHOAMI), "masquerade before");

            long t0 = now();
            bed.host().ipHost("link", "del", bridge);
            Poll.eventually(WITHIN, bridge + " back with its gateway and ports", () -> bridgeHealthy(bed, bridge, 2));
            assertWorks(bed, t, c1, c2Ip);
            assertEvent(bed, t0, netId, "bridge " + bridge + " missing");

            t0 = now();
            bed.host().ipHost("addr", "del", "172.18.0.1/16", "dev", bridge);
            Poll.eventually(WITHIN, "gateway address back on " + bridge, () -> bridgeHealthy(bed, bridge, 2));
            assertWorks(bed, t, c1, c2Ip);
            assertEvent(bed, t0, netId, "gateway 172.18.0.1/16 missing on " + bridge);

            t0 = now();
            nft(bed, "flush", "table", "inet", "berth");
            Poll.eventually(WITHIN, "rules back after flush", () -> ruleCount(bed).equals(Optional.of(rules)));
            assertWorks(bed, t, c1, c2Ip);
            assertEvent(bed, t0, "", "firewall: chain inet berth forward has 0 rules");

            t0 = now();
            nft(bed, "delete", "table", "inet", "berth");
            Poll.eventually(WITHIN, "table back after delete", () -> ruleCount(bed).equals(Optional.of(rules)));
            assertWorks(bed, t, c1, c2Ip);
            assertEvent(bed, t0, "", "firewall: table inet berth cannot be listed");

            t0 = now();
            String veth = c1.hostEnd(bed, "eth0");
            bed.host().ipHost("link", "del", veth);
            Poll.eventually(WITHIN, "c1's veth back", () -> c1.link(bed, "eth0").map(LinkState::isUp).orElse(false)
                    && bridgeHealthy(bed, bridge, 2));
            c1.assertKernelAgrees(bed);
            assertWorks(bed, t, c1, c2Ip);
            assertEvent(bed, t0, netId, "veth " + veth + " of c1 (eth0) missing");
        }
        c2.assertKernelAgrees(bed);
        assertTrue(bed.daemon().stderr().contains("kernel drift repaired"), "repairs are logged");
    }

    private static void assertWorks(Testbed bed, Traffic t, Box c1, String c2Ip) {
        c1.assertPings(bed, c2Ip);
        c1.assertPings(bed, "172.18.0.1");
        assertEquals(HostFixture.HOST_V4, t.connectWithin(c1.netns(), HostFixture.UPSTREAM_V4, WHOAMI, 3), "masquerade");
        assertEquals(HostFixture.UPSTREAM_V4, t.connectWithin(Traffic.named(bed.host().upstreamNs()), HostFixture.HOST_V4,
                8080, 3), "published port");
    }

    /** The bridge is up, has its gateway address and {@code ports} veths. */
    private static boolean bridgeHealthy(Testbed bed, String bridge, int ports) {
        Optional<LinkState> link = bed.host().hostLink(bridge);
        if (link.isEmpty() || !link.get().isUp() || !link.get().addresses(true).contains("172.18.0.1/16")) {
            return false;
        }
        JsonNode enslaved = bed.host().ipHostJson("link", "show", "master", bridge);
        int up = 0;
        for (JsonNode port : enslaved) {
            List<String> flags = new ArrayList<>();
            port.path("flags").forEach(f -> flags.add(f.asText()));
            up += flags.contains("UP") ? 1 : 0;
        }
        return up == ports;
    }

    private static Optional<Integer> ruleCount(Testbed bed) {
        var listing = bed.run(HostFixture.inNamespace(bed.host().hostNs(), "nft", "-j", "list", "table", "inet", "berth"));
        if (listing.exitCode() != 0) {
            return Optional.empty();
        }
        int rules = 0;
        for (JsonNode item : Box.json(listing).path("nftables")) {
            rules += item.has("rule") ? 1 : 0;
        }
        return Optional.of(rules);
    }

    private static void nft(Testbed bed, String... args) {
        List<String> argv = new ArrayList<>(List.of("nft"));
        argv.addAll(List.of(args));
        bed.run(HostFixture.inNamespace(bed.host().hostNs(), argv.toArray(String[]::new))).assertSuccess();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** A {@code network reconcile} event since {@code t0} for that actor whose {@code repaired} has {@code text}. */
    private static void assertEvent(Testbed bed, long t0, String actor, String text) {
        var replay = bed.docker().ok("events", "--since", Long.toString(t0), "--until", Long.toString(now() + 1),
                "--filter", "type=network", "--filter", "event=reconcile", "--format", "{{json .}}");
        for (String line : replay.lines()) {
            JsonNode event = Bridges.parse(line);
            if (event.path("Actor").path("ID").asText().equals(actor)
                    && event.path("Actor").path("Attributes").path("repaired").asText().contains(text)) {
                return;
            }
        }
        throw new AssertionError("no reconcile event for '" + actor + "' with '" + text + "':\n" + replay.describe());
    }
}
