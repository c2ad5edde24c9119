package dev.berth.kernel.netlink;

import java.net.InetAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.kernel.testing.ThrowawayNs;

import static org.junit.jupiter.api.Assertions.*;

class NeighbourIT {
    private ThrowawayNs ns;

    @BeforeEach
    void setUp() {
        ns = ThrowawayNs.create();
    }

    @AfterEach
    void tearDown() {
        ns.close();
    }

    @Test
    void proxyNeighbourAddAndDelete() throws Exception {
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
