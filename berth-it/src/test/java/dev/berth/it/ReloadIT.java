package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import dev.berth.it.fixture.UnixHttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Live reload on SIGHUP (what {@code systemctl reload} sends): default-bridge sandboxes made before
 * the reload gain, move and lose their IPv6 address and default route without a restart (kernel
 * state in their namespaces, ping6 between them and to docker0), with {@code live-restore} set; a
 * changed {@code dns} takes effect; an invalid daemon.json changes nothing and the daemon keeps
 * serving; a reload during parallel connects leaves store and kernel agreeing; {@code docker events}
 * shows the {@code daemon reload} event. At start-up, what cannot work is refused as at a reload
 * (an overlapping subnet, an mtu below 1280 with IPv6), but a range too small for the sandboxes
 * already there is not: the ones it has no room for run without IPv6.
 */
@ExtendWith(TestbedExtension.class)
class ReloadIT {

    @Test
    void ipv6OnMovedAndOffReachesRunningSandboxesWithoutARestart(Testbed bed) throws Exception {
        bed.daemon().writeConfig("{\"live-restore\": true}\n");
        bed.daemon().start();
        long t0 = System.currentTimeMillis() / 1000;
        String id = Bridges.inspect(bed.docker(), "bridge").path("Id").asText();
        Box c1 = Box.create(bed, "c1");
        Box c2 = Box.create(bed, "c2");
        assertEquals(List.of(), c1.globalIpv6(bed));

        bed.daemon().writeConfig("{\"live-restore\": true, \"ipv6\": true,\n \"fixed-cidr-v6\": \"2001:db8:1::/80\","
                + " \"mtu\": 1400}\n");
        String line = bed.daemon().reload();
        assertTrue(line.contains("Reloaded configuration: ipv6: false -> true, fixed-cidr-v6: (unset) -> 2001:db8:1::/80"),
                line);
        assertTrue(line.contains("2 endpoints re-addressed"), line);
        assertTrue(bed.daemon().stderr().contains("reload: mtu changed in"), bed.daemon()::stderr);
        JsonNode bridge = Bridges.inspect(bed.docker(), "bridge");
        assertEquals(id, bridge.path("Id").asText(), "the default bridge keeps its id");
        assertTrue(bridge.path("EnableIPv6").asBoolean(), bridge::toString);
        assertEquals(Bridges.parse("[{\"Subnet\":\"172.17.0.0/16\",\"Gateway\":\"172.17.0.1\"},"
                + "{\"Subnet\":\"2001:db8:1::/80\",\"IPRange\":\"2001:db8:1::/80\",\"Gateway\":\"2001:db8:1::1\"}]"),
                bridge.path("IPAM").path("Config"));
        LinkState docker0 = Bridges.docker0(bed);
        assertTrue(docker0.addresses(false).contains("2001:db8:1::1/80"), docker0::toString);
        assertEquals(1500, docker0.mtu(), "mtu needs a restart: not applied");
        assertEquals(List.of("2001:db8:1::2/80"), c1.globalIpv6(bed));
        assertEquals(List.of("2001:db8:1::3/80"), c2.globalIpv6(bed));
        assertEquals("2001:db8:1::1 eth0", c1.ipv6DefaultRoute(bed));
        assertEquals("2001:db8:1::1 eth0", c2.ipv6DefaultRoute(bed));
        assertEquals("2001:db8:1::2", c1.endpoints(bed).get("bridge").path("GlobalIPv6Address").asText());
        try (Traffic traffic = new Traffic(bed)) {
            assertTrue(traffic.ping(c1.netns(), "2001:db8:1::3"), "c1 -> c2 over IPv6");
            assertTrue(traffic.ping(c2.netns(), "2001:db8:1::2"), "c2 -> c1 over IPv6");
            assertTrue(traffic.ping(c1.netns(), "2001:db8:1::1"), "c1 -> docker0 over IPv6");
        }
        Box c3 = Box.create(bed, "c3");
        assertEquals(List.of("2001:db8:1::4/80"), c3.globalIpv6(bed), "a sandbox made after the reload");

        bed.daemon().writeConfig("{\"ipv6\": true, \"bip6\": \"2001:db8:2::1/64\", \"fixed-cidr-v6\": \"2001:db8:2::/80\"}\n");
        line = bed.daemon().reload();
        assertTrue(line.contains("3 endpoints re-addressed"), line);
        assertEquals(List.of("2001:db8:2::2/64"), c1.globalIpv6(bed), "renumbered into the new range");
        assertEquals(List.of("2001:db8:2::3/64"), c2.globalIpv6(bed));
        assertEquals("2001:db8:2::1 eth0", c1.ipv6DefaultRoute(bed));
        assertEquals(List.of("2001:db8:2::1/64"), Box.globalOnly(Bridges.docker0(bed).addresses(false)));
        try (Traffic traffic = new Traffic(bed)) {
            assertTrue(traffic.ping(c1.netns(), "2001:db8:2::3"), "c1 -> c2 after renumbering");
            assertTrue(traffic.ping(c2.netns(), "2001:db8:2::1"), "c2 -> docker0 after renumbering");
        }
        assertTrue(StoreKernel.settle(bed, bed.api()).problems().isEmpty());

        bed.daemon().writeConfig("{}\n");
        line = bed.daemon().reload();
        assertTrue(line.contains("ipv6: true -> false"), line);
        JsonNode off = Bridges.inspect(bed.docker(), "bridge");
        assertEquals(id, off.path("Id").asText());
        assertFalse(off.path("EnableIPv6").asBoolean(), off::toString);
        for (Box box : List.of(c1, c2, c3)) {
            assertEquals(List.of(), box.globalIpv6(bed), box.name());
            assertEquals(0, box.ipJson(bed, "-6", "route", "show", "default").size(), box.name());
            assertEquals("", box.endpoints(bed).get("bridge").path("GlobalIPv6Address").asText());
        }
        assertEquals(List.of(), Box.globalOnly(Bridges.docker0(bed).addresses(false)));
        assertTrue(StoreKernel.settle(bed, bed.api()).problems().isEmpty());
        c1.assertPings(bed, c2.ip(bed, "bridge"));

        long until = System.currentTimeMillis() / 1000 + 1;
        CommandResult events = bed.docker().ok("events", "--since", Long.toString(t0), "--until", Long.toString(until),
                "--filter", "type=daemon");
        List<String> reloads = events.lines().stream().filter(l -> l.contains(" daemon reload ")).toList();
        assertEquals(3, reloads.size(), events::describe);
        String engine = bed.docker().ok("info", "--format", "{{.ID}}").stdout().strip();
        assertTrue(reloads.getFirst().contains("daemon reload " + engine + " ("), reloads::toString);
        assertTrue(reloads.getFirst().contains("fixed-cidr-v6=2001:db8:1::/80") && reloads.getFirst().contains("ipv6=true"),
                reloads::toString);
        assertTrue(reloads.getLast().contains("ipv6=false"), reloads::toString);

        String id2 = Bridges.inspect(bed.docker(), "bridge").path("Id").asText();
        bed.daemon().restart();
        assertEquals(id2, Bridges.inspect(bed.docker(), "bridge").path("Id").asText());
        bed.docker().ok("rm", "-f", "c1", "c2", "c3");
    }

    @Test
    void anInvalidOrUnusableDaemonJsonChangesNothingAndTheDaemonKeepsServing(Testbed bed) {
        String good = "{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:1::/80\"}\n";
        bed.daemon().writeConfig(good);
        bed.daemon().start();
        Box c1 = Box.create(bed, "c1");
        Box c2 = Box.create(bed, "c2");
        Box c3 = Box.create(bed, "c3");
        JsonNode before = Bridges.inspect(bed.docker(), "bridge");
        String file = bed.daemon().configFile().toString();
        record Case(String json, String message) {
        }
        List<Case> cases = List.of(
                new Case("{\"ipv6\": false,\n \"mtu\": \"big\"}\n", file + ": line 2: mtu must be a whole number"),
                new Case("{\"ipv6\": false,\n \"bogus\": 1}\n", "line 2: unknown option \"bogus\""),
                new Case("{\"ipv6\": false,\n \"dns\": [\"1.1.1.1\"\n", "line 3"),
                new Case("{\"ipv6\": true,\n \"fixed-cidr-v6\": \"ff02::/64\"}\n",
                        "line 2: invalid fixed-cidr-v6: multicast subnet 'ff02::/64' is not allowed"),
                new Case("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:9::/126\"}\n",
                        "default bridge: 2001:db8:9::/126 has no free address left for the 3 endpoints"));
        for (Case c : cases) {
            bed.daemon().writeConfig(c.json());
            String line = bed.daemon().reload();
            assertTrue(line.contains("reload failed, running configuration kept: ") && line.contains(c.message()),
                    () -> c + "\n" + line);
            assertEquals(before, Bridges.inspect(bed.docker(), "bridge"), c::toString);
            assertEquals(List.of("2001:db8:1::2/80"), c1.globalIpv6(bed), c::toString);
            assertEquals("2001:db8:1::1 eth0", c1.ipv6DefaultRoute(bed), c::toString);
            bed.docker().ok("network", "ls");
        }
        bed.docker().ok("network", "create", "--ipv6", "--subnet", "2001:db8:5::/64", "v6net");
        bed.daemon().writeConfig("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:5::/80\"}\n");
        String line = bed.daemon().reload();
        assertTrue(line.contains("overlaps the subnet 2001:db8:5::/64 of network v6net"), line);
        assertEquals(before, Bridges.inspect(bed.docker(), "bridge"));

        bed.daemon().writeConfig(good);
        line = bed.daemon().reload();
        assertTrue(line.contains("Reloaded configuration: no change to apply"), line);

        String routed = "\"com.docker.network.bridge.gateway_mode_ipv6\": \"routed\"";
        bed.daemon().writeConfig("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:1::/80\",\n"
                + " \"default-network-opts\": {\"bridge\": {" + routed + "}}}\n");
        line = bed.daemon().reload();
        assertTrue(line.contains("Reloaded configuration: default-network-opts: {} -> "), line);
        String mode = "com.docker.network.bridge.gateway_mode_ipv6";
        assertEquals("routed", Bridges.inspect(bed.docker(), "bridge").path("Options").path(mode).asText());
        bed.docker().ok("network", "create", "after");
        assertEquals("routed", Bridges.inspect(bed.docker(), "after").path("Options").path(mode).asText(),
                "a network created after the reload gets the new default");
        bed.docker().ok("network", "rm", "after");
        bed.daemon().writeConfig(good);
        bed.daemon().reload();
        assertTrue(StoreKernel.compare(bed, bed.api()).problems().isEmpty());
        bed.docker().ok("rm", "-f", c1.name(), c2.name(), c3.name());
        bed.docker().ok("network", "rm", "v6net");
    }

    @Test
    void startUpRefusesABadConfigurationButNotTheSandboxesItFinds(Testbed bed) throws Exception {
        bed.daemon().writeConfig("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:1::/80\"}\n");
        bed.daemon().start();
        Box c1 = Box.create(bed, "c1");
        Box c2 = Box.create(bed, "c2");
        Box c3 = Box.create(bed, "c3");
        bed.docker().ok("network", "create", "--ipv6", "--subnet", "2001:db8:5::/64", "v6net");
        bed.daemon().stop();

        record Refused(String json, String message) {
        }
        for (Refused r : List.of(
                new Refused("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:5::/80\"}\n", "failed to start daemon: the"
                        + " default bridge's subnet 2001:db8:5::/80 (fixed-cidr-v6) overlaps the subnet 2001:db8:5::/64"
                        + " of network v6net: give another fixed-cidr-v6 or remove network v6net"),
                new Refused("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:1::/80\",\n \"mtu\": 1200}\n",
                        bed.daemon().configFile() + ": line 2: mtu 1200 is below 1280, the least IPv6 needs"))) {
            bed.daemon().writeConfig(r.json());
            bed.daemon().launch();
            assertEquals(java.util.Optional.of(1), bed.daemon().awaitExit(java.time.Duration.ofSeconds(20)), r::json);
            assertTrue(bed.daemon().stderr().contains(r.message()), () -> r.message() + "\n" + bed.daemon().stderr());
        }

        bed.daemon().writeConfig("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:9::/126\"}\n");
        bed.daemon().start();
        String id3 = c3.id().substring(0, 12);
        assertTrue(bed.daemon().stderr().contains("default bridge: fixed-cidr-v6 2001:db8:9::/126 has room for 2 of the 3"
                + " sandboxes that need a new IPv6 address; c3 (" + id3 + ") run without IPv6 on bridge"),
                bed.daemon()::stderr);
        assertEquals(List.of("2001:db8:9::2/126"), c1.globalIpv6(bed));
        assertEquals(List.of("2001:db8:9::3/126"), c2.globalIpv6(bed));
        assertEquals("2001:db8:9::1 eth0", c2.ipv6DefaultRoute(bed));
        assertEquals(List.of(), c3.globalIpv6(bed), "no room: no IPv6 rather than an address off the bridge's subnet");
        assertEquals(0, c3.ipJson(bed, "-6", "route", "show", "default").size());
        assertEquals("", c3.endpoints(bed).get("bridge").path("GlobalIPv6Address").asText());
        assertTrue(StoreKernel.compare(bed, bed.api()).problems().isEmpty());
        assertEquals("warning", bridgeRoom(bed).path("Severity").asText(), bridgeRoom(bed)::toString);
        assertTrue(bridgeRoom(bed).path("Found").asText().contains("(" + id3 + ")"), bridgeRoom(bed)::toString);

        bed.daemon().writeConfig("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:9::/120\"}\n");
        String line = bed.daemon().reload();
        assertTrue(line.contains("3 endpoints re-addressed"), line);
        assertEquals(List.of("2001:db8:9::4/120"), c3.globalIpv6(bed), "a wider range reloaded gives it one");
        assertEquals("2001:db8:9::1 eth0", c3.ipv6DefaultRoute(bed));
        assertEquals(List.of("2001:db8:9::2/120"), c1.globalIpv6(bed), "kept, with the new prefix length");
        assertTrue(StoreKernel.compare(bed, bed.api()).problems().isEmpty());
        assertEquals("ok", bridgeRoom(bed).path("Severity").asText(), bridgeRoom(bed)::toString);
        bed.docker().ok("rm", "-f", "c1", "c2", "c3");
        bed.docker().ok("network", "rm", "v6net");
    }

    /** {@code berth doctor --format json}'s finding about default-bridge sandboxes without IPv6. */
    private static JsonNode bridgeRoom(Testbed bed) {
        JsonNode report = Bridges.parse(bed.berth().withFlag(bed.daemon().socket(), "doctor", "--format", "json").stdout());
        for (JsonNode f : report.path("Findings")) {
            if (f.path("ID").asText().equals("ipv6-bridge-room")) {
                return f;
            }
        }
        throw new AssertionError("no ipv6-bridge-room finding in " + report);
    }

    @Test
    void aDaemonStartedUnderNohupStillReloadsOnSighup(Testbed bed) {
        bed.daemon().withIgnoredSignals("HUP", "INT").start();
        bed.daemon().writeConfig("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:1::/80\"}\n");
        String line = bed.daemon().reload();
        assertTrue(line.contains("Reloaded configuration: ipv6: false -> true"), line);
        assertTrue(Bridges.inspect(bed.docker(), "bridge").path("EnableIPv6").asBoolean());
        assertTrue(bed.daemon().stderr().contains("signal 1 was ignored by whoever started the daemon (nohup?); it is"
                + " handled again"), bed.daemon()::stderr);
    }

    @Test
    void aChangedDnsTakesEffectOnTheEmbeddedResolver(Testbed bed) throws Exception {
        Path log = bed.dir().resolve("upstream.log");
        Process upstream = DnsUpstreamIT.startUpstream(bed, log);
        try {
            // the host's own address: nothing listens on port 53 there, so queries fail at once
            bed.daemon().writeConfig("{\"dns\": [\"" + HostFixture.HOST_V4 + "\"]}\n");
            bed.daemon().start();
            bed.docker().ok("network", "create", "--subnet", "172.30.0.0/24", "net1");
            Path c1 = Box.create(bed, "c1", "--network", "net1").netns();
            assertEquals("SERVFAIL", DnsUpstreamIT.status(DnsUpstreamIT.dig(bed, c1, "fwd1.example")));
            assertEquals(List.of(), DnsUpstreamIT.queriesSeen(log));

            bed.daemon().writeConfig("{\"dns\": [\"" + HostFixture.UPSTREAM_V4 + "\"]}\n");
            String line = bed.daemon().reload();
            assertTrue(line.contains("dns: [\"" + HostFixture.HOST_V4 + "\"] -> [\"" + HostFixture.UPSTREAM_V4 + "\"]"),
                    line);
            String answer = DnsUpstreamIT.dig(bed, c1, "fwd2.example");
            assertEquals("NOERROR", DnsUpstreamIT.status(answer), answer);
            assertTrue(answer.contains("203.0.113.7"), answer);
            assertEquals(List.of("udp fwd2.example 1"), DnsUpstreamIT.queriesSeen(log));
            bed.docker().ok("rm", "-f", "c1");
            bed.docker().ok("network", "rm", "net1");
        } finally {
            DnsUpstreamIT.stop(upstream);
        }
    }

    @Test
    void aReloadDuringParallelConnectsLosesAndHalfAppliesNoEndpoint(Testbed bed) throws Exception {
        bed.daemon().start();
        UnixHttpClient api = bed.api();
        bed.docker().ok("network", "create", "--subnet", "172.30.0.0/24", "net1");
        int boxes = 24;
        List<Box> made = new ArrayList<>();
        for (int i = 0; i < boxes; i++) {
            made.add(Box.create(bed, "p" + i));
        }
        bed.daemon().writeConfig("{\"ipv6\": true, \"fixed-cidr-v6\": \"fd00:77::/80\"}\n");
        List<HttpReply> replies = Parallel.run(boxes + 8, 8, i -> () -> {
            if (i == boxes / 2) {
                bed.daemon().sighup();
                return null;
            }
            if (i >= boxes) {
                return LoadIT.post(api, "/v1.50/containers/create?name=q" + i, "{\"Image\":\"busybox\"}");
            }
            return LoadIT.post(api, "/v1.50/networks/net1/connect", "{\"Container\":\"p" + i + "\"}");
        });
        for (HttpReply reply : replies) {
            assertTrue(reply == null || reply.status() / 100 == 2, () -> String.valueOf(reply));
        }
        String line = bed.daemon().awaitReloads(1).getFirst();
        assertTrue(line.contains("Reloaded configuration: ipv6: false -> true"), line);
        StoreKernel.Result result = StoreKernel.settle(bed, api);
        assertTrue(result.problems().isEmpty(), result.problems()::toString);
        assertEquals(0, result.duplicates());
        JsonNode containers = Bridges.inspect(bed.docker(), "bridge").path("Containers");
        assertEquals(boxes + 8, containers.size(), containers::toString);
        Set<String> v6 = new HashSet<>();
        containers.forEach(c -> v6.add(c.path("IPv6Address").asText()));
        assertEquals(boxes + 8, v6.size(), "every bridge sandbox has its own IPv6 address: " + v6);
        assertFalse(v6.contains(""), v6::toString);
        JsonNode net1 = Bridges.inspect(bed.docker(), "net1").path("Containers");
        assertEquals(boxes - 1, net1.size(), net1::toString);
        for (Box box : made.subList(0, 3)) {
            assertEquals(1, box.globalIpv6(bed).size(), box.name());
            assertTrue(box.ipv6DefaultRoute(bed).endsWith(" eth0"), box.name());
        }
        List<String> names = new ArrayList<>();
        made.forEach(b -> names.add(b.name()));
        for (int i = boxes; i < boxes + 8; i++) {
            names.add("q" + i);
        }
        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        rm.addAll(names);
        bed.docker().ok(rm.toArray(String[]::new));
        bed.docker().ok("network", "rm", "net1");
    }
}
