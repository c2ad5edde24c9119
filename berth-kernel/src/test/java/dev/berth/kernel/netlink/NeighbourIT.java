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
}
