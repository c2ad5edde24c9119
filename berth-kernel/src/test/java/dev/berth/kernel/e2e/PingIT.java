package dev.berth.kernel.e2e;

import java.net.InetAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.kernel.netlink.AddressSpec;
import dev.berth.kernel.netlink.BridgeSpec;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Mac;
import dev.berth.kernel.netlink.RouteSpec;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.VethSpec;
import dev.berth.kernel.testing.ThrowawayNs;
import dev.berth.kernel.testing.ThrowawayNs.Shell;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The attach sequence the bridge driver will run, end to end: bridge with addresses in a
 * throwaway "host" namespace, fused veth whose peer eth0 is born in a throwaway "sandbox"
 * namespace, addresses and default routes inside, then real pings both ways, v4 and v6.
 */
class PingIT {
    private ThrowawayNs host;
    private ThrowawayNs sandbox;

    @BeforeEach
    void setUp() {
        host = ThrowawayNs.create();
        sandbox = ThrowawayNs.create();
    }

    @AfterEach
    void tearDown() {
        try {
            sandbox.close();
        } finally {
            host.close();
        }
    }

    @Test
    void sandboxReachesBridgeOverV4AndV6() throws Exception {
        RtNetlink h = host.rtnl();
        Link br = h.createBridge(BridgeSpec.named("br-ping"));
        h.addAddress(new AddressSpec(br.index(), InetAddress.getByName("172.29.0.1"), 16, false));
        h.addAddress(new AddressSpec(br.index(), InetAddress.getByName("fd00:29::1"), 64, true));
        h.setUp(br.index(), true);
        h.createVeth(new VethSpec("vethping", "eth0", Mac.parse("02:42:ac:1d:00:02"), 0, br.index(), true,
                sandbox.handle()));

        RtNetlink s = sandbox.rtnl();
        Link eth0 = s.link("eth0").orElseThrow();
        s.setUp(s.link("lo").orElseThrow().index(), true);
        s.addAddress(new AddressSpec(eth0.index(), InetAddress.getByName("172.29.0.2"), 16, false));
        s.addAddress(new AddressSpec(eth0.index(), InetAddress.getByName("fd00:29::2"), 64, true));
        s.setUp(eth0.index(), true);
        s.addRoute(RouteSpec.defaultVia(InetAddress.getByName("172.29.0.1")));
        s.addRoute(RouteSpec.defaultVia(InetAddress.getByName("fd00:29::1")));

        assertPing(sandbox, "172.29.0.1");
        assertPing(sandbox, "fd00:29::1");
        assertPing(host, "172.29.0.2");
        assertPing(host, "fd00:29::2");
    }

    private static void assertPing(ThrowawayNs from, String target) {
        Shell.Result r = null;
        // The bridge port passes through listening/learning only when STP is on (off by default),
        // but the first IPv6 packet can still race neighbour discovery: allow a few attempts.
        for (int i = 0; i < 5; i++) {
            r = from.exec("ping", "-c1", "-W2", target);
            if (r.exit() == 0) {
                assertTrue(r.output().contains("1 received"), r.output());
                return;
            }
        }
        fail("ping " + target + " from " + from.name() + ": " + r.output());
    }
}
