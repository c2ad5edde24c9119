package dev.berth.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.kernel.testing.ThrowawayNs;
import dev.berth.kernel.testing.ThrowawayNsExtension;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** VXLAN devices, their static FDB entries and permanent neighbours, read back with iproute2 and our dumps. */
@ExtendWith(ThrowawayNsExtension.class)
class VxlanIT {
    @Test
    void aVxlanDeviceWithoutLearningAndItsStaticEntries(ThrowawayNs ns) throws Exception {
        RtNetlink rt = ns.rtnl();
        InetAddress local = InetAddress.getByName("198.51.100.11");
        InetAddress remote = InetAddress.getByName("198.51.100.12");
        InetAddress peer = InetAddress.getByName("10.10.0.3");
        InetAddress peer6 = InetAddress.getByName("fd00:10::3");
        byte[] mac = Mac.parse("02:42:0a:0a:00:03");
        Link vx = rt.createVxlan(new VxlanSpec("vx-test", 4097, local, VxlanSpec.IANA_PORT, 1450, 0x62727468));
        assertEquals("vxlan", vx.kind());
        assertEquals(1450, vx.mtu());
        String details = ns.ip("-d", "link", "show", "vx-test");
        assertTrue(details.contains("vxlan id 4097 local 198.51.100.11"), details);
        assertTrue(details.contains("dstport 4789"), details);
        assertTrue(details.contains("nolearning"), details);
        assertTrue(details.contains("proxy"), details);

        rt.replaceFdb(vx.index(), mac, remote);
        rt.replaceFdb(vx.index(), mac, remote);   // replace: a repeat is no error
        rt.replaceNeighbour(vx.index(), peer, mac);
        rt.replaceNeighbour(vx.index(), peer6, mac);
        String fdb = ns.exec("bridge", "fdb", "show", "dev", "vx-test").output();
        assertTrue(fdb.contains("02:42:0a:0a:00:03 dst 198.51.100.12 self permanent"), fdb);
        assertTrue(rt.neighbours(RtNetlink.AF_BRIDGE, vx.index())
                .contains(new StaticNeighbour(vx.index(), remote, "02:42:0a:0a:00:03", 0x80)));
        List<StaticNeighbour> v4 = rt.neighbours(RtNetlink.AF_INET, vx.index());
        assertEquals(List.of(new StaticNeighbour(vx.index(), peer, "02:42:0a:0a:00:03", 0x80)), v4);
        assertTrue(ns.ip("-6", "neigh", "show", "dev", "vx-test").contains("fd00:10::3 lladdr 02:42:0a:0a:00:03 PERMANENT"));

        rt.deleteNeighbour(vx.index(), peer);
        rt.deleteNeighbour(vx.index(), peer6);
        rt.deleteFdb(vx.index(), mac, remote);
        rt.deleteFdb(vx.index(), mac, remote);      // idempotent
        rt.deleteNeighbour(vx.index(), peer);        // idempotent
        assertFalse(ns.exec("bridge", "fdb", "show", "dev", "vx-test").output().contains("dst 198.51.100.12"));
        assertTrue(rt.neighbours(RtNetlink.AF_INET, vx.index()).isEmpty());
    }
}
