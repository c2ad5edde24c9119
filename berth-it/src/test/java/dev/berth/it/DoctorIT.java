package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code berth doctor} on hosts built to show each problem, in the test's throwaway host namespace
 * (uplink {@code eth0} 2001:db8::2/64, the upstream namespace as the LAN): a lone /128 on the
 * uplink, the accept_ra trap (forwarding on, default route {@code proto ra}, accept_ra 1), a routed
 * global subnet outside every on-link prefix, global subnets in nat mode (a user network's and the
 * default bridge's {@code fixed-cidr-v6}), proxy_ndp off and no proxy entry for a routed network
 * in the LAN prefix with {@code "ndp-proxy": false} (the LAN reaches its sandbox only once the
 * printed fixes are in; with the default the automatic proxy needs none), and a
 * firewall element gone; and a healthy host. Findings are read from
 * {@code berth doctor --format json} with its exit status, and where a fix is a command that acts
 * on the host namespace ({@code sysctl -w}, {@code ip}) or the daemon ({@code docker}), it is run
 * as printed and the finding must go. Lines that would write the machine's files
 * ({@code echo ... >> /etc/sysctl.d/...}) are never run.
 */
@ExtendWith(TestbedExtension.class)
class DoctorIT {
    private static final String ROUTED = "com.docker.network.bridge.gateway_mode_ipv6=routed";

    @Test
    void withTheAutomaticNdpProxyARoutedLanNetworkNeedsNoFix(Testbed bed) throws InterruptedException {
        bed.daemon().start();
        Bridges.create(bed.docker(), "--ipv6", "--subnet", "2001:db8::8000:0:0:0/80", "-o", ROUTED, "lan6");
        Box.create(bed, "c1", "--network", "lan6");
        JsonNode report = doctor(bed, 0);
        only(report, "ipv6-proxy-ndp", "ok");
        assertTrue(upstreamPings(bed, "2001:db8::8000:0:0:2"), "Berth answers NDP for the routed sandbox itself");
    }

    @Test
    void aHealthyHostHasNoErrorAndNoWarning(Testbed bed) throws InterruptedException {
        bed.daemon().writeConfig("{\"ndp-proxy\": false}\n"); // the proxy by hand, as with Docker
        bed.daemon().start();
        Bridges.create(bed.docker(), "--ipv6", "--subnet", "fd00:dc::/64", "ula");
        Bridges.create(bed.docker(), "--ipv6", "--subnet", "2001:db8::8000:0:0:0/80", "-o", ROUTED, "lan6");
        Box.create(bed, "c1", "--network", "lan6");

        JsonNode sick = doctor(bed, 1);
        JsonNode proxyOff = only(sick, "ipv6-proxy-ndp", "error");
        assertEquals(HostFixture.UPLINK, proxyOff.path("Subject").asText());
        assertEquals("networks lan6 lie in an on-link prefix of eth0, but net.ipv6.conf.eth0.proxy_ndp is 0",
                proxyOff.path("Found").asText());
        JsonNode entry = only(sick, "ipv6-proxy-ndp-entry", "error");
        assertTrue(entry.path("Fix").get(0).asText().contains("\"ndp-proxy\": \"auto\""), entry.toString());
        assertEquals("ip -6 neigh add proxy 2001:db8::8000:0:0:2 dev eth0", entry.path("Fix").get(1).asText());
        assertFalse(upstreamPings(bed, "2001:db8::8000:0:0:2"), "nobody answers NDP for the routed sandbox yet");
        applyFix(bed, proxyOff);
        applyFix(bed, entry);
        Poll.eventually(10, "the LAN reaches the routed sandbox once the doctor's fixes are in",
                () -> upstreamPings(bed, "2001:db8::8000:0:0:2"));

        JsonNode healthy = doctor(bed, 0);
        for (JsonNode f : healthy.path("Findings")) {
            String severity = f.path("Severity").asText();
            assertTrue(severity.equals("ok") || severity.equals("info"), "not healthy: " + f);
        }
        for (String id : List.of("kernel-ipv6", "kernel-nftables", "forwarding-ipv6", "ipv6-default-route",
                "ipv6-uplink-address", "ipv6-accept-ra", "ipv6-subnet-unrouted", "ipv6-proxy-ndp", "berth-state")) {
            only(healthy, id, "ok");
        }
        assertEquals("eth0 has 2001:db8::2/64 (on-link 2001:db8::/64)",
                only(healthy, "ipv6-uplink-address", "ok").path("Found").asText());

        CommandResult text = bed.berth().withFlag(bed.daemon().socket(), "doctor");
        assertEquals(0, text.exitCode(), text::describe);
        assertTrue(text.stdout().contains("ok       berth-state: bridges, their addresses, veths and the firewall "
                + "table with its elements are as the store says"), text::describe);
        assertTrue(text.stdout().endsWith(" ok\n") && text.stdout().contains("0 errors, 0 warnings"), text::describe);
    }

    @Test
    void aLone128UplinkSuggestsAUlaNetworkThatCanBeCreatedAsPrinted(Testbed bed) {
        bed.host().ipHost("-6", "addr", "del", HostFixture.HOST_V6 + "/64", "dev", HostFixture.UPLINK);
        bed.host().ipHost("-6", "addr", "add", HostFixture.HOST_V6 + "/128", "dev", HostFixture.UPLINK, "nodad");
        bed.host().ipHost("-6", "route", "replace", HostFixture.UPSTREAM_V6 + "/128", "dev", HostFixture.UPLINK);
        bed.host().ipHost("-6", "route", "replace", "default", "via", HostFixture.UPSTREAM_V6, "dev", HostFixture.UPLINK);
        bed.daemon().start();

        JsonNode report = doctor(bed, 0);
        JsonNode lone = only(report, "ipv6-uplink-128", "warning");
        assertEquals("eth0 has only 2001:db8::2/128 and no on-link global prefix", lone.path("Found").asText());
        assertTrue(lone.path("Why").asText().contains("Berth masquerades it behind 2001:db8::2"), lone::toString);
        String create = lone.path("Fix").get(0).asText();
        Pattern ula = Pattern.compile("docker network create --ipv6 --subnet fd[0-9a-f]{2}:[0-9a-f:]+/64 v6net");
        assertTrue(ula.matcher(create).matches(), create);

        applyFix(bed, lone);
        String subnet = create.split(" ")[5];
        assertEquals(java.util.Optional.of(subnet), Bridges.subnet(Bridges.inspect(bed.docker(), "v6net"), false));
        String next = only(doctor(bed, 0), "ipv6-uplink-128", "warning").path("Fix").get(0).asText();
        assertTrue(ula.matcher(next).matches() && !next.equals(create), "the next suggestion is another free /64: " + next);
    }

    @Test
    void theAcceptRaTrapIsAnErrorUntilAcceptRaIs2(Testbed bed) {
        hostSysctl(bed, "net.ipv6.conf.all.forwarding=1");
        hostSysctl(bed, "net.ipv6.conf." + HostFixture.UPLINK + ".accept_ra=1");
        bed.host().ipHost("-6", "route", "del", "default");
        bed.host().ipHost("-6", "route", "add", "default", "via", HostFixture.UPSTREAM_V6, "dev", HostFixture.UPLINK,
                "proto", "ra");
        bed.daemon().start();

        JsonNode report = doctor(bed, 1);
        JsonNode trap = only(report, "ipv6-accept-ra", "error");
        assertEquals("eth0 learns its IPv6 default route via 2001:db8::1 from router advertisements (proto ra), "
                + "IPv6 forwarding is on and accept_ra is 1", trap.path("Found").asText());
        assertEquals("sysctl -w net.ipv6.conf.eth0.accept_ra=2", trap.path("Fix").get(0).asText());
        assertEquals(List.of("ipv6-accept-ra"), ids(report, "error"));
        assertEquals("IPv6 default route via 2001:db8::1 dev eth0 (proto ra)",
                only(report, "ipv6-default-route", "ok").path("Found").asText());

        applyFix(bed, trap);
        JsonNode fixed = doctor(bed, 0);
        assertTrue(only(fixed, "ipv6-accept-ra", "ok").path("Found").asText().endsWith("and accept_ra is 2"));
    }

    @Test
    void aRoutedGlobalSubnetOutsideTheLanNeedsTheUpstreamsRoute(Testbed bed) {
        // The default bridge on a /80 of the host's /64, as the usual guides set it up, in nat mode.
        bed.daemon().start("--ipv6", "--fixed-cidr-v6", "2001:db8:0:0:1::/80");
        Bridges.create(bed.docker(), "--ipv6", "--subnet", "2001:db8:99::/64", "-o", ROUTED, "far");
        Bridges.create(bed.docker(), "--ipv6", "--subnet", "2001:db8:77::/64", "natted");

        JsonNode report = doctor(bed, 0);
        assertEquals(List.of(), ids(report, "error"));
        JsonNode far = only(report, "ipv6-subnet-unrouted", "warning");
        assertEquals("far", far.path("Subject").asText());
        assertEquals("network far (routed) has the global subnet 2001:db8:99::/64, which lies in no on-link prefix "
                + "of this host (2001:db8::/64 on eth0)", far.path("Found").asText());
        assertEquals("ip -6 route add 2001:db8:99::/64 via 2001:db8::2", far.path("Fix").get(1).asText());
        List<JsonNode> natted = all(report, "ipv6-global-nat");
        assertEquals(List.of("bridge", "natted"), natted.stream().map(f -> f.path("Subject").asText()).toList());
        assertTrue(natted.stream().allMatch(f -> f.path("Severity").asText().equals("info")), natted::toString);
        assertEquals("network bridge has the global subnet 2001:db8:0:0:1::/80 in nat mode",
                natted.get(0).path("Found").asText());
        assertTrue(natted.get(0).path("Fix").get(0).asText().contains("\"default-network-opts\""), natted::toString);
        assertEquals(List.of("docker network rm natted", "docker network create --ipv6 --subnet 2001:db8:77::/64 -o "
                + ROUTED + " natted"), texts(natted.get(1).path("Fix")));
        only(report, "ipv6-proxy-ndp", "ok");
    }

    @Test
    void aFirewallElementGoneIsStateBerthOwnsThatDiffers(Testbed bed) {
        bed.daemon().start();
        String id = Bridges.create(bed.docker(), "net1");
        String bridge = Bridges.device(id);
        only(doctor(bed, 0), "berth-state", "ok");
        bed.run(HostFixture.inNamespace(bed.host().hostNs(), "nft", "delete", "element", "inet", "berth", "bridges",
                "{ \"" + bridge + "\" }")).assertSuccess();

        JsonNode drift = only(doctor(bed, 1), "berth-state", "error");
        assertEquals("net1", drift.path("Subject").asText());
        assertEquals("firewall: element \"" + bridge + "\" missing from set inet berth bridges", drift.path("Found").asText());
    }

    // ---- helpers

    /** {@code berth doctor --format json}, which must exit with {@code status}; the report. */
    private static JsonNode doctor(Testbed bed, int status) {
        CommandResult result = bed.berth().withFlag(bed.daemon().socket(), "doctor", "--format", "json");
        assertEquals(status, result.exitCode(), result::describe);
        try {
            return Bridges.JSON.readTree(result.stdout());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + result.describe(), e);
        }
    }

    /** The one finding with this id, which must have this severity. */
    private static JsonNode only(JsonNode report, String id, String severity) {
        List<JsonNode> found = all(report, id);
        assertEquals(1, found.size(), id + " in " + report);
        assertEquals(severity, found.getFirst().path("Severity").asText(), found.getFirst()::toString);
        return found.getFirst();
    }

    /** Every finding with this id, in the report's order. */
    private static List<JsonNode> all(JsonNode report, String id) {
        List<JsonNode> found = new ArrayList<>();
        report.path("Findings").forEach(f -> {
            if (f.path("ID").asText().equals(id)) {
                found.add(f);
            }
        });
        return found;
    }

    private static List<String> ids(JsonNode report, String severity) {
        List<String> out = new ArrayList<>();
        report.path("Findings").forEach(f -> {
            if (f.path("Severity").asText().equals(severity)) {
                out.add(f.path("ID").asText());
            }
        });
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * Runs a finding's fix as a user would: {@code sysctl -w} and {@code ip} lines inside the host
     * namespace, {@code docker} lines against the daemon. Comments and the lines that keep a
     * setting across reboots (they write the machine's {@code /etc}) are skipped.
     */
    private static void applyFix(Testbed bed, JsonNode finding) {
        List<String> fix = texts(finding.path("Fix"));
        assertFalse(fix.isEmpty(), "no fix in " + finding);
        for (String line : fix) {
            List<String> argv = List.of(line.split(" "));
            switch (argv.getFirst()) {
                case "sysctl", "ip" -> bed.run(HostFixture.inNamespace(bed.host().hostNs(), argv.toArray(String[]::new)))
                        .assertSuccess();
                case "docker" -> bed.docker().ok(argv.subList(1, argv.size()).toArray(String[]::new));
                default -> assertTrue(line.startsWith("#") || line.startsWith("echo "), "unexpected fix line " + line);
            }
        }
    }

    private static boolean upstreamPings(Testbed bed, String address) {
        return bed.run(HostFixture.inNamespace(bed.host().upstreamNs(), "ping", "-6", "-c", "1", "-W", "1", address))
                .exitCode() == 0;
    }

    private static void hostSysctl(Testbed bed, String assignment) {
        bed.run(HostFixture.inNamespace(bed.host().hostNs(), "sysctl", "-qw", assignment)).assertSuccess();
    }
}
