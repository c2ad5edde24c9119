package dev.berth.kernel.netlink;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.testing.ThrowawayNs;
import dev.berth.kernel.testing.ThrowawayNsExtension;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ThrowawayNsExtension.class)
class AddressIT {
    private ThrowawayNs ns;
    private Link br;

    @BeforeEach
    void setUp(ThrowawayNs ns) {
        this.ns = ns;
        br = ns.rtnl().createBridge(BridgeSpec.named("br-addr"));
    }

    @Test
    void ipv4AddAndDelete() throws Exception {
        RtNetlink rt = ns.rtnl();
        InetAddress a = InetAddress.getByName("172.30.5.1");
        rt.addAddress(new AddressSpec(br.index(), a, 24, false));

        List<Address> mine = rt.addresses(br.index());
        assertEquals(1, mine.size(), mine.toString());
        assertEquals(a, mine.get(0).address());
        assertEquals(24, mine.get(0).prefixLength());
        assertEquals(0, mine.get(0).scope());
        String shown = ns.ip("-o", "-4", "addr", "show", "dev", "br-addr");
        assertTrue(shown.contains("inet 172.30.5.1/24 brd 172.30.5.255"), shown);

        rt.deleteAddress(br.index(), a, 24);
        assertTrue(rt.addresses(br.index()).stream().noneMatch(x -> x.address().equals(a)));
        assertFalse(ns.ip("-o", "-4", "addr", "show", "dev", "br-addr").contains("172.30.5.1"));
        rt.deleteAddress(br.index(), a, 24);   // idempotent
    }

    @Test
    void ipv6NoDadIsNotTentative() throws Exception {
        RtNetlink rt = ns.rtnl();
        rt.setUp(br.index(), true);
        InetAddress a = InetAddress.getByName("fd00:30::1");
        rt.addAddress(new AddressSpec(br.index(), a, 64, true));

        Address got = rt.addresses(br.index()).stream().filter(x -> x.address().equals(a)).findFirst().orElseThrow();
        assertEquals(64, got.prefixLength());
        assertFalse(got.tentative());
        assertTrue((got.flags() & Address.FLAG_NODAD) != 0, "flags " + got.flags());
        String shown = ns.ip("-o", "-6", "addr", "show", "dev", "br-addr").lines()
                .filter(l -> l.contains("fd00:30::1")).findFirst().orElseThrow();
        assertTrue(shown.contains("inet6 fd00:30::1/64"), shown);
        assertFalse(shown.contains("tentative"), shown);
        assertTrue(shown.contains("nodad"), shown);

        rt.deleteAddress(br.index(), a, 64);
        assertFalse(ns.ip("-o", "-6", "addr", "show", "dev", "br-addr").contains("fd00:30::1"));
        rt.deleteAddress(br.index(), a, 64);
    }

    @Test
    void duplicateAddIsEexist() throws Exception {
        RtNetlink rt = ns.rtnl();
        AddressSpec v4 = new AddressSpec(br.index(), InetAddress.getByName("10.9.0.1"), 16, false);
        AddressSpec v6 = new AddressSpec(br.index(), InetAddress.getByName("fd00:9::1"), 64, true);
        rt.addAddress(v4);
        rt.addAddress(v6);
        for (AddressSpec spec : List.of(v4, v6)) {
            KernelException e = assertThrows(KernelException.class, () -> rt.addAddress(spec));
            assertTrue(e.isErrno(Errno.EEXIST), e.getMessage());
            assertTrue(e.getMessage().contains("add address " + spec.address().getHostAddress()), e.getMessage());
        }
    }

    @Test
    void deleteOnMissingLinkIsTolerated() throws Exception {
        ns.rtnl().deleteAddress(9999, InetAddress.getByName("10.9.0.1"), 16);
        ns.rtnl().deleteAddress(9999, InetAddress.getByName("fd00:9::1"), 64);
    }

    @Test
    void dumpSeesAddressesAddedByIp() throws Exception {
        ns.ip("addr", "add", "192.0.2.7/28", "dev", "br-addr");
        ns.ip("addr", "add", "2001:db8:7::7/80", "dev", "br-addr", "nodad");
        InetAddress v4 = InetAddress.getByName("192.0.2.7");
        InetAddress v6 = InetAddress.getByName("2001:db8:7::7");
        List<Address> all = ns.rtnl().addresses();
        assertTrue(all.stream().anyMatch(a -> a.address().equals(v4) && a.prefixLength() == 28
                && a.index() == br.index()), all.toString());
        assertTrue(all.stream().anyMatch(a -> a.address().equals(v6) && a.prefixLength() == 80), all.toString());
    }
}
