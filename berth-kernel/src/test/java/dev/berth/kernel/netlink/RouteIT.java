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
class RouteIT {
    private ThrowawayNs ns;
    private Link eth0;

    @BeforeEach
    void setUp(ThrowawayNs ns) throws Exception {
        this.ns = ns;
        RtNetlink rt = ns.rtnl();
        eth0 = rt.createVeth(new VethSpec("eth0", "eth0p", null, 0, 0, true, null));
        rt.setUp(rt.link("eth0p").orElseThrow().index(), true);
        rt.addAddress(new AddressSpec(eth0.index(), InetAddress.getByName("172.31.0.2"), 16, false));
        rt.addAddress(new AddressSpec(eth0.index(), InetAddress.getByName("fd00:31::2"), 64, true));
    }

    @Test
    void ipv4DefaultRouteViaGateway() throws Exception {
        RtNetlink rt = ns.rtnl();
        InetAddress gw = InetAddress.getByName("172.31.0.1");
        RouteSpec spec = RouteSpec.defaultVia(gw);
        rt.addRoute(spec);

        Route def = rt.routes(RtNetlink.AF_INET).stream().filter(Route::isDefault).findFirst().orElseThrow();
        assertNull(def.destination());
        assertEquals(gw, def.gateway());
        assertEquals(eth0.index(), def.outIndex());
        assertEquals(254, def.table());
        assertTrue(ns.ip("-4", "route", "show").contains("default via 172.31.0.1 dev eth0"));

        KernelException dup = assertThrows(KernelException.class, () -> rt.addRoute(spec));
        assertTrue(dup.isErrno(Errno.EEXIST), dup.getMessage());

        rt.deleteRoute(spec);
        assertFalse(ns.ip("-4", "route", "show").contains("default"));
        assertTrue(rt.routes(RtNetlink.AF_INET).stream().noneMatch(Route::isDefault));
        rt.deleteRoute(spec);   // idempotent
    }

    @Test
    void ipv6DefaultRouteViaGateway() throws Exception {
        RtNetlink rt = ns.rtnl();
        InetAddress gw = InetAddress.getByName("fd00:31::1");
        RouteSpec spec = new RouteSpec(null, 0, gw, eth0.index(), RtNetlink.AF_INET6);
        rt.addRoute(spec);

        Route def = rt.routes(RtNetlink.AF_INET6).stream().filter(Route::isDefault).findFirst().orElseThrow();
        assertEquals(gw, def.gateway());
        assertEquals(eth0.index(), def.outIndex());
        assertEquals(RtNetlink.AF_INET6, def.family());
        assertTrue(ns.ip("-6", "route", "show").contains("default via fd00:31::1 dev eth0"));

        rt.deleteRoute(spec);
        assertFalse(ns.ip("-6", "route", "show").contains("default"));
        rt.deleteRoute(spec);
    }

    @Test
    void connectedRouteWithoutGateway() throws Exception {
        RtNetlink rt = ns.rtnl();
        RouteSpec spec = new RouteSpec(InetAddress.getByName("10.77.0.0"), 16, null, eth0.index(), RtNetlink.AF_INET);
        rt.addRoute(spec);
        String shown = ns.ip("-4", "route", "show", "10.77.0.0/16");
        assertTrue(shown.contains("10.77.0.0/16 dev eth0") && shown.contains("scope link"), shown);
        List<Route> routes = rt.routes(RtNetlink.AF_INET);
        assertTrue(routes.stream().anyMatch(r -> r.prefixLength() == 16
                && spec.destination().equals(r.destination()) && r.gateway() == null && r.scope() == 253),
                routes.toString());
        rt.deleteRoute(spec);
        assertEquals("", ns.ip("-4", "route", "show", "10.77.0.0/16").trim());
    }

    @Test
    void unreachableGatewayCarriesTheKernelsReason() throws Exception {
        RouteSpec spec = RouteSpec.defaultVia(InetAddress.getByName("10.200.0.1"));
        KernelException e = assertThrows(KernelException.class, () -> ns.rtnl().addRoute(spec));
        assertTrue(e.isErrno(Errno.ENETUNREACH), e.getMessage());
        assertTrue(e.getMessage().startsWith("add route default via 10.200.0.1 in netns /run/netns/" + ns.name()
                + ": ENETUNREACH (Network is unreachable)"), e.getMessage());
        assertNotNull(e.detail(), "extended ack text expected from the kernel: " + e.getMessage());
    }

    @Test
    void dumpListsKernelConnectedRoutes() throws Exception {
        List<Route> v4 = ns.rtnl().routes(RtNetlink.AF_INET);
        assertTrue(v4.stream().anyMatch(r -> r.prefixLength() == 16
                && InetAddressEquals.of(r.destination(), "172.31.0.0") && r.outIndex() == eth0.index()), v4.toString());
        List<Route> v6 = ns.rtnl().routes(RtNetlink.AF_INET6);
        assertTrue(v6.stream().anyMatch(r -> r.prefixLength() == 64
                && InetAddressEquals.of(r.destination(), "fd00:31::")), v6.toString());
    }

    private static final class InetAddressEquals {
        static boolean of(InetAddress a, String literal) {
            try {
                return a != null && a.equals(InetAddress.getByName(literal));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
