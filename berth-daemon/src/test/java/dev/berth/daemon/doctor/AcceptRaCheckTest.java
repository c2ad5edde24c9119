package dev.berth.daemon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.kernel.netlink.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AcceptRaCheck}: the default route from router advertisements and forwarding. */
class AcceptRaCheckTest {
    private final FakeHost host = FakeHost.lan();
    private final AcceptRaCheck check = new AcceptRaCheck();

    private void learnedFromRa(String acceptRa, String forwarding) {
        host.routes6.removeIf(Route::isDefault);
        host.route(null, "fe80::1", "eth0", Route.PROTOCOL_RA);
        host.sysctl("net/ipv6/conf/eth0/accept_ra", acceptRa).sysctl("net/ipv6/conf/eth0/forwarding", forwarding)
                .sysctl("net/ipv6/conf/all/forwarding", forwarding);
    }

    @Test
    void aStaticRouteIsNotConcerned() {
        assertEquals(Finding.ok("ipv6-accept-ra", "eth0", "the IPv6 default route is not learned from router "
                + "advertisements"), host.one(check));
    }

    @Test
    void forwardingWithAcceptRa1IsTheTrap() {
        learnedFromRa("1", "1");
        Finding f = host.one(check);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals("eth0", f.subject());
        assertEquals("eth0 learns its IPv6 default route via fe80::1 from router advertisements (proto ra), IPv6 "
                + "forwarding is on and accept_ra is 1", f.found());
        assertTrue(f.why().contains("disappears"), f.why());
        assertEquals(List.of("sysctl -w net.ipv6.conf.eth0.accept_ra=2",
                "echo 'net.ipv6.conf.eth0.accept_ra = 2' >> /etc/sysctl.d/90-berth.conf"), f.fix());
    }

    @Test
    void withoutForwardingItIsOnlyWorthKnowingAndAcceptRa2IsFine() {
        learnedFromRa("1", "0");
        assertEquals(Severity.INFO, host.one(check).severity());
        learnedFromRa("0", "0");
        assertEquals(Severity.ERROR, host.one(check).severity(), "accept_ra=0 ignores them anyway");
        learnedFromRa("2", "1");
        assertEquals(Severity.OK, host.one(check).severity());
    }

    @Test
    void aDottedInterfaceNameIsWrittenInSlashForm() {
        host.link(7, "eth0.100");
        host.routes6.removeIf(Route::isDefault);
        host.route(null, "fe80::1", "eth0.100", Route.PROTOCOL_RA);
        host.sysctl("net/ipv6/conf/eth0.100/accept_ra", "1");
        Finding f = host.one(check);
        assertEquals(Severity.ERROR, f.severity(), "all.forwarding is on");
        assertEquals("sysctl -w net/ipv6/conf/eth0.100/accept_ra=2", f.fix().getFirst());
    }
}
