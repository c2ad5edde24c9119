package dev.berth.kernel.netlink;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.testing.ThrowawayNs;

import static org.junit.jupiter.api.Assertions.*;

class LinkIT {
    private ThrowawayNs host;
    private ThrowawayNs sandbox;

    @BeforeEach
    void setUp() {
        host = ThrowawayNs.create();
    }

    @AfterEach
    void tearDown() {
        try {
            if (sandbox != null) {
                sandbox.close();
            }
        } finally {
            host.close();
        }
    }

    @Test
    void freshNamespaceHasOnlyLoopback() {
        List<Link> links = host.rtnl().links();
        assertEquals(1, links.size(), links.toString());
        Link lo = links.get(0);
        assertEquals("lo", lo.name());
        assertNull(lo.kind());
        assertEquals(lo, host.rtnl().link("lo").orElseThrow());
        assertEquals(lo, host.rtnl().link(lo.index()).orElseThrow());
    }

    @Test
    void missingLinkIsEmpty() {
        assertEquals(Optional.empty(), host.rtnl().link("nope0"));
        assertEquals(Optional.empty(), host.rtnl().link(4242));
    }

    @Test
    void createAndDeleteBridge() {
        RtNetlink rt = host.rtnl();
        Link br = rt.createBridge(BridgeSpec.named("br-t1"));
        assertEquals("br-t1", br.name());
        assertEquals("bridge", br.kind());
        assertEquals(1500, br.mtu());
        assertEquals(6, br.mac().length);
        assertFalse(br.up());
        assertTrue(host.ip("-d", "-j", "link", "show", "dev", "br-t1").contains("\"info_kind\":\"bridge\""));
        assertTrue(rt.links().stream().anyMatch(l -> l.name().equals("br-t1") && "bridge".equals(l.kind())));

        rt.deleteLink("br-t1");
        assertTrue(rt.link("br-t1").isEmpty());
        assertFalse(host.ip("-br", "link").contains("br-t1"));
        rt.deleteLink("br-t1");          // idempotent by name
        rt.deleteLink(br.index());       // and by index
    }

    @Test
    void aBridgeIsBornInItsGroupAndReportsIt() {
        RtNetlink rt = host.rtnl();
        Link br = rt.createBridge(new BridgeSpec("br-grp", 0, null, true, 0x62727468));
        assertEquals(0x62727468, br.group(), "IFLA_GROUP applied by the creating RTM_NEWLINK");
        assertTrue(host.ip("-j", "link", "show", "dev", "br-grp").contains("\"group\":\"1651668072\""));
        assertEquals(0, rt.createBridge(BridgeSpec.named("br-nogrp")).group());
        rt.setGroup("br-nogrp", 7);
        assertEquals(7, rt.link("br-nogrp").orElseThrow().group());
    }

    @Test
    void bridgeWithoutMulticastSnooping() {
        RtNetlink rt = host.rtnl();
        rt.createBridge(new BridgeSpec("br-quiet", 0, null, false));
        rt.createBridge(BridgeSpec.named("br-default"));
        assertTrue(host.ip("-d", "link", "show", "dev", "br-quiet").contains("mcast_snooping 0"));
        assertTrue(host.ip("-d", "link", "show", "dev", "br-default").contains("mcast_snooping 1"));
    }

    @Test
    void groupDeletionTakesExactlyTheGroup() {
        RtNetlink rt = host.rtnl();
        for (String name : List.of("br-g1", "br-g2", "br-keep")) {
            rt.createBridge(BridgeSpec.named(name));
        }
        rt.setGroup("br-g1", 4711);
        rt.setGroup("br-g2", 4711);
        assertTrue(host.ip("-d", "link", "show", "dev", "br-g1").contains("group 4711"));
        rt.deleteGroup(4711);
        assertTrue(rt.link("br-g1").isEmpty());
        assertTrue(rt.link("br-g2").isEmpty());
        assertTrue(rt.link("br-keep").isPresent());
        rt.deleteGroup(4711);            // an empty group is fine
        assertThrows(IllegalArgumentException.class, () -> rt.deleteGroup(0));
        KernelException missing = assertThrows(KernelException.class, () -> rt.setGroup("br-none", 4711));
        assertEquals(Errno.ENODEV, missing.errno());
    }

    @Test
    void renameKeepsTheLinkAndItsIndex() {
        RtNetlink rt = host.rtnl();
        Link br = rt.createBridge(BridgeSpec.named("br-old"));
        rt.setName(br.index(), "bx-renamed");
        assertEquals("bx-renamed", rt.link(br.index()).orElseThrow().name());
        assertTrue(rt.link("br-old").isEmpty());
        assertTrue(host.ip("-br", "link").contains("bx-renamed"));
        KernelException taken = assertThrows(KernelException.class, () -> rt.setName(br.index(), "lo"));
        assertTrue(taken.isErrno(Errno.EEXIST), taken.getMessage());
    }

    @Test
    void bridgeWithMtuAndMac() {
        byte[] mac = Mac.parse("02:42:00:00:00:01");
        Link br = host.rtnl().createBridge(new BridgeSpec("br-mtu", 1400, mac));
        assertEquals(1400, br.mtu());
        assertArrayEquals(mac, br.mac());
        String json = host.ip("-j", "link", "show", "dev", "br-mtu");
        assertTrue(json.contains("\"mtu\":1400"), json);
        assertTrue(json.contains("\"address\":\"02:42:00:00:00:01\""), json);
    }

    @Test
    void duplicateBridgeIsEexist() {
        host.rtnl().createBridge(BridgeSpec.named("br-dup"));
        KernelException e = assertThrows(KernelException.class,
                () -> host.rtnl().createBridge(BridgeSpec.named("br-dup")));
        assertTrue(e.isErrno(Errno.EEXIST), e.getMessage());
        assertEquals("EEXIST", e.errnoName());
        assertTrue(e.getMessage().startsWith("create bridge br-dup in netns /run/netns/" + host.name() + ": EEXIST"),
                e.getMessage());
    }

    @Test
    void setUpDownMtuMacAndMaster() {
        RtNetlink rt = host.rtnl();
        Link br = rt.createBridge(BridgeSpec.named("br-set"));
        Link dummyPort = rt.createVeth(new VethSpec("vset0", "vset1", null, 0, 0, false, null));

        rt.setUp(br.index(), true);
        assertTrue(rt.link(br.index()).orElseThrow().up());
        assertTrue(host.ip("-j", "link", "show", "dev", "br-set").contains("\"UP\""));
        rt.setUp(br.index(), false);
        assertFalse(rt.link(br.index()).orElseThrow().up());

        rt.setMtu(dummyPort.index(), 1280);
        assertEquals(1280, rt.link("vset0").orElseThrow().mtu());
        assertTrue(host.ip("-j", "link", "show", "dev", "vset0").contains("\"mtu\":1280"));

        byte[] mac = Mac.parse("02:42:ac:11:00:09");
        rt.setMac(dummyPort.index(), mac);
        assertArrayEquals(mac, rt.link("vset0").orElseThrow().mac());
        assertTrue(host.ip("-j", "link", "show", "dev", "vset0").contains("02:42:ac:11:00:09"));

        rt.setMaster(dummyPort.index(), br.index());
        assertEquals(br.index(), rt.link("vset0").orElseThrow().masterIndex());
        assertTrue(host.ip("-j", "link", "show", "dev", "vset0").contains("\"master\":\"br-set\""));

        rt.setBridgePortHairpin(dummyPort.index(), true);
        assertTrue(host.ip("-d", "-j", "link", "show", "dev", "vset0").contains("\"hairpin\":true"));
        rt.setBridgePortHairpin(dummyPort.index(), false);
        assertTrue(host.ip("-d", "-j", "link", "show", "dev", "vset0").contains("\"hairpin\":false"));

        rt.setMaster(dummyPort.index(), 0);
        assertEquals(0, rt.link("vset0").orElseThrow().masterIndex());
        assertFalse(host.ip("-j", "link", "show", "dev", "vset0").contains("\"master\""));
    }

    @Test
    void detachFreesTheBridgePortAndGroupsTheLinkInOneRequest() {
        RtNetlink rt = host.rtnl();
        Link br = rt.createBridge(BridgeSpec.named("br-det"));
        rt.createVeth(new VethSpec("vdet0", "vdet1", null, 0, br.index(), true, null));
        assertTrue(host.ip("-d", "link", "show", "master", "br-det").contains("vdet0"));

        rt.detach("vdet0", 4712);

        Link detached = rt.link("vdet0").orElseThrow();
        assertEquals(0, detached.masterIndex());
        assertEquals(4712, detached.group());
        assertFalse(host.ip("-d", "link", "show", "master", "br-det").contains("vdet0"), "no longer a port");
        rt.deleteLink("vdet0");
        rt.detach("vdet0", 4712); // gone is fine
    }

    @Test
    void vethPeerIsBornInsideTheOtherNamespace() {
        sandbox = ThrowawayNs.create();
        RtNetlink rt = host.rtnl();
        Link br = rt.createBridge(BridgeSpec.named("br-v"));
        byte[] mac = Mac.parse("02:42:ac:12:00:02");
        Link hostEnd = rt.createVeth(new VethSpec("vethbk01", "eth0", mac, 1450, br.index(), true, sandbox.handle()));

        assertEquals("vethbk01", hostEnd.name());
        assertEquals("veth", hostEnd.kind());
        assertEquals(br.index(), hostEnd.masterIndex());
        assertTrue(hostEnd.up());
        assertEquals(1450, hostEnd.mtu());
        assertTrue(rt.link("eth0").isEmpty(), "peer must not be in the host namespace");
        String hostJson = host.ip("-j", "link", "show", "dev", "vethbk01");
        assertTrue(hostJson.contains("\"master\":\"br-v\"") && hostJson.contains("\"UP\""), hostJson);

        Link eth0 = sandbox.rtnl().link("eth0").orElseThrow();
        assertEquals("veth", eth0.kind());
        assertArrayEquals(mac, eth0.mac());
        assertEquals(1450, eth0.mtu());
        assertFalse(eth0.up());
        String peerJson = sandbox.ip("-j", "link", "show", "dev", "eth0");
        assertTrue(peerJson.contains("\"address\":\"02:42:ac:12:00:02\""), peerJson);

        KernelException dup = assertThrows(KernelException.class,
                () -> rt.createVeth(new VethSpec("vethbk01", "eth1", null, 0, 0, false, sandbox.handle())));
        assertTrue(dup.isErrno(Errno.EEXIST), dup.getMessage());

        rt.deleteLink(hostEnd.index());
        assertTrue(sandbox.rtnl().link("eth0").isEmpty(), "deleting the host end removes the peer");
        rt.deleteLink(hostEnd.index());
        rt.deleteLink("vethbk01");
    }
}
