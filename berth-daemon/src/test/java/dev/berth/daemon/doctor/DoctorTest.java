package dev.berth.daemon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.Network;
import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.netlink.Route;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@link Doctor}: order, a failing check, all standard checks on a healthy host; and {@link OwnedStateCheck}. */
class DoctorTest {
    private final FakeHost host = FakeHost.lan();

    /** A check with a bug. */
    private static final class Broken implements Check {
        @Override
        public List<Finding> run(HostView view) {
            throw new IllegalStateException("no such thing");
        }
    }

    private List<Finding> examine() {
        return new Doctor(host::view, Doctor.standardChecks()).examine();
    }

    @Test
    void aHealthyHostHasNothingButOkAndInfo() {
        Network net = host.network("net1", Map.of(), false, "172.18.0.0/16", "fd00:1::/64");
        host.endpoint(net, "fd00:1::2/64");
        List<Finding> findings = examine();
        assertEquals(List.of(), findings.stream().filter(f -> f.severity().compareTo(Severity.INFO) < 0).toList());
        assertTrue(findings.stream().anyMatch(f -> f.id().equals("berth-state") && f.severity() == Severity.OK));
    }

    @Test
    void findingsComeMostSeriousFirstAndAFailingCheckIsReported() {
        host.sysctl("net/ipv6/conf/eth0/accept_ra", "1");
        host.routes6.removeIf(Route::isDefault);
        host.route(null, "fe80::1", "eth0", Route.PROTOCOL_RA);
        host.network("web", Map.of(), false, "2001:db8:77::/64");
        List<Finding> findings = new Doctor(host::view, List.of(new GlobalNatCheck(), new ForwardingCheck(), new Broken(),
                new AcceptRaCheck())).examine();
        assertEquals(List.of("check-failed", "ipv6-accept-ra", "ipv6-global-nat", "forwarding-ipv4", "forwarding-ipv6"),
                findings.stream().map(Finding::id).toList());
        assertEquals("Broken", findings.getFirst().subject());
        assertEquals("the check failed: java.lang.IllegalStateException: no such thing", findings.getFirst().found());
    }

    @Test
    void driftOfTheStateBerthOwnsIsAnErrorNamingTheNetwork() {
        Network net = host.network("net1", Map.of(), false, "172.18.0.0/16");
        host.drift.add(new KernelDrift(net.id(), "gateway 172.18.0.1/16 missing on br-x"));
        host.drift.add(new KernelDrift(null, "firewall: chain inet berth forward has 0 rules, not 9"));
        List<Finding> found = host.run(new OwnedStateCheck());
        assertEquals(List.of("net1", "firewall"), found.stream().map(Finding::subject).toList());
        assertEquals("gateway 172.18.0.1/16 missing on br-x", found.getFirst().found());
        assertTrue(found.stream().allMatch(f -> f.severity() == Severity.ERROR));
    }

    @Test
    void noChecksNoFindings() {
        assertEquals(List.of(), Doctor.none().examine());
    }

    @Test
    void sysctlNamesAreDottedUnlessAnInterfaceHasADot() {
        assertEquals("net.ipv6.conf.eth0.accept_ra", SysctlFix.name("net/ipv6/conf/eth0/accept_ra"));
        assertEquals("net/ipv6/conf/eth0.100/accept_ra", SysctlFix.name("net/ipv6/conf/eth0.100/accept_ra"));
    }
}
