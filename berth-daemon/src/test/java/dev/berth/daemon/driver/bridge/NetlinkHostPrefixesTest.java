package dev.berth.daemon.driver.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RouteSpec;
import dev.berth.kernel.netlink.RtNetlink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What automatic subnet choice avoids, read from an in-memory host namespace and a resolv.conf. */
class NetlinkHostPrefixesTest {
    private static final int RT_SCOPE_LINK = 253;
    private final FakeRtnl host = new FakeRtnl();
    @TempDir
    Path dir;

    @Test
    void routedAndAddressedPrefixesAndNameserversAreReserved() throws IOException {
        Link eth0 = host.add("eth0", "veth", 0, 0);
        host.addRoute(new RouteSpec(null, 0, IpAddresses.parse("192.0.2.1"), eth0.index(), RtNetlink.AF_INET));
        host.addRoute(new RouteSpec(IpAddresses.parse("10.8.0.0"), 16, IpAddresses.parse("192.0.2.1"), eth0.index(),
                RtNetlink.AF_INET));
        host.addRoute(new RouteSpec(IpAddresses.parse("169.254.0.0"), 16, IpAddresses.parse("192.0.2.1"),
                eth0.index(), RtNetlink.AF_INET));
        host.addRoute(new RouteSpec(IpAddresses.parse("2001:db8:5::"), 48, IpAddresses.parse("fe80::1"), eth0.index(),
                RtNetlink.AF_INET6));
        host.addresses.add(new Address(eth0.index(), IpAddresses.parse("192.0.2.7"), 24, 0, 0));
        host.addresses.add(new Address(eth0.index(), IpAddresses.parse("fe80::7"), 64, RT_SCOPE_LINK, 0));
        Path resolvConf = Files.writeString(dir.resolve("resolv.conf"),
                "# comment\nnameserver 203.0.113.53\nnameserver fe80::53%eth0\nnameserver 2001:db8::53\nsearch x\n");

        List<String> reserved = new NetlinkHostPrefixes(host, resolvConf).reserved().stream()
                .map(IpPrefix::toString).toList();

        assertEquals(List.of("10.8.0.0/16", "2001:db8:5::/48", "192.0.2.0/24", "203.0.113.53/32", "2001:db8::53/128"),
                reserved, "no default, link-local or zoned prefix");
    }

    @Test
    void aMissingResolvConfReservesNoNameserver() {
        assertEquals(List.of(), new NetlinkHostPrefixes(host, dir.resolve("absent")).reserved());
    }
}
