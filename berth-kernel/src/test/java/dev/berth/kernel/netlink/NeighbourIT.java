package dev.berth.kernel.netlink;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.berth.kernel.testing.ThrowawayNs;
import dev.berth.kernel.testing.ThrowawayNsExtension;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ThrowawayNsExtension.class)
class NeighbourIT {
    @Test
    void proxyNeighbourAddAndDelete(ThrowawayNs ns) throws Exception {
        RtNetlink rt = ns.rtnl();
        Link br = rt.createBridge(BridgeSpec.named("br-nd"));
        InetAddress a = InetAddress.getByName("2001:db8:1::42");

        rt.addProxyNeighbour(br.index(), a);
        rt.addProxyNeighbour(br.index(), a);   // the proxy table takes repeats
        String shown = ns.ip("-6", "neigh", "show", "proxy");
        assertTrue(shown.contains("2001:db8:1::42 dev br-nd proxy"), shown);
        assertTrue(rt.proxyNeighbours(RtNetlink.AF_INET6).contains(new ProxyNeighbour(br.index(), a)));

        rt.deleteProxyNeighbour(br.index(), a);
        assertFalse(ns.ip("-6", "neigh", "show", "proxy").contains("2001:db8:1::42"));
        assertTrue(rt.proxyNeighbours(RtNetlink.AF_INET6).isEmpty());
        rt.deleteProxyNeighbour(br.index(), a);   // idempotent
    }

    @Test
    void aProtocolMarksTheEntryAndOneEntryCanBeReadWithoutADump(ThrowawayNs ns) throws Exception {
        RtNetlink rt = ns.rtnl();
        Link br = rt.createBridge(BridgeSpec.named("br-np"));
        InetAddress mine = InetAddress.getByName("2001:db8:1::42");
        InetAddress theirs = InetAddress.getByName("2001:db8:1::43");

        rt.addProxyNeighbour(br.index(), mine, 98);
        ns.ip("-6", "neigh", "add", "proxy", "2001:db8:1::43", "dev", "br-np");
        String shown = ns.ip("-6", "neigh", "show", "proxy");
        assertTrue(shown.contains("2001:db8:1::42 dev br-np proxy proto 98"), shown);
        assertEquals(java.util.Set.of(new ProxyNeighbour(br.index(), mine, 98), new ProxyNeighbour(br.index(), theirs, 0)),
                java.util.Set.copyOf(rt.proxyNeighbours(RtNetlink.AF_INET6)));
        assertEquals(java.util.Optional.of(new ProxyNeighbour(br.index(), mine, 98)), rt.proxyNeighbour(br.index(), mine));
        assertEquals(java.util.Optional.of(new ProxyNeighbour(br.index(), theirs, 0)),
                rt.proxyNeighbour(br.index(), theirs));
        assertEquals(java.util.Optional.empty(), rt.proxyNeighbour(br.index(), InetAddress.getByName("2001:db8:1::44")));

        rt.addProxyNeighbour(br.index(), mine);   // without a mark: the existing one stays
        assertEquals(98, rt.proxyNeighbour(br.index(), mine).orElseThrow().protocol());
    }
}
