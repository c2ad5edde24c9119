package dev.berth.daemon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.model.Network;
import dev.berth.kernel.netlink.Route;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ForwardingCheck}: off is an error only once a network needs it. */
class ForwardingCheckTest {
    private final FakeHost host = FakeHost.lan();
    private final ForwardingCheck check = new ForwardingCheck();

    @Test
    void onIsOk() {
        assertEquals(List.of(Finding.ok("forwarding-ipv4", "", "net.ipv4.ip_forward is 1"),
                Finding.ok("forwarding-ipv6", "", "net.ipv6.conf.all.forwarding is 1")), host.run(check));
    }

    @Test
    void ipv4OffIsAnErrorOnceANetworkHasSandboxes() {
        host.sysctl("net/ipv4/ip_forward", "0");
        Network net = host.network("net1", Map.of(), false, "172.18.0.0/16");
        host.network("closed", Map.of(), true, "172.19.0.0/16");
        assertEquals(Severity.INFO, host.run(check).getFirst().severity(), "no sandbox yet: Berth turns it on");
        host.endpoint(net, "fd00::2/64");
        Finding f = host.run(check).getFirst();
        assertEquals(Severity.ERROR, f.severity());
        assertEquals("net.ipv4.ip_forward is 0 while networks net1 need it", f.found());
        assertEquals(List.of("sysctl -w net.ipv4.ip_forward=1",
                "echo 'net.ipv4.ip_forward = 1' >> /etc/sysctl.d/90-berth.conf"), f.fix());
    }

    @Test
    void ipv6OffFixSetsAcceptRaFirstOnAnRaUplink() {
        host.sysctl("net/ipv6/conf/all/forwarding", "0").sysctl("net/ipv6/conf/eth0/accept_ra", "1");
        host.routes6.removeIf(Route::isDefault);
        host.route(null, "fe80::1", "eth0", Route.PROTOCOL_RA);
        host.network("v6", Map.of(), false, "fd00:1::/64");
        Finding f = host.run(check).get(1);
        assertEquals("forwarding-ipv6", f.id());
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of("sysctl -w net.ipv6.conf.eth0.accept_ra=2",
                "echo 'net.ipv6.conf.eth0.accept_ra = 2' >> /etc/sysctl.d/90-berth.conf",
                "sysctl -w net.ipv6.conf.all.forwarding=1",
                "echo 'net.ipv6.conf.all.forwarding = 1' >> /etc/sysctl.d/90-berth.conf"), f.fix());
    }

    @Test
    void withoutIpv6OnlyIpv4IsChecked() {
        host.files.remove("/proc/net/if_inet6");
        assertEquals(List.of("forwarding-ipv4"), host.run(check).stream().map(Finding::id).toList());
    }
}
