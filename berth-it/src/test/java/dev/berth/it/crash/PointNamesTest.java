package dev.berth.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Point names must not depend on generated names (devices, ids, paths), or a point would not be found again. */
class PointNamesTest {

    @Test
    void netlinkActionsKeepTheirVerbAndDropTheObjects() {
        assertEquals("create veth (other netns)", PointNames.what("netlink",
                "create veth veth46c7ed9 (peer eth0 in netns /tmp/x/exec/netns/aefe7adaab5c)"));
        assertEquals("set hairpin on on link", PointNames.what("netlink", "set hairpin on on link #4"));
        assertEquals("add address", PointNames.what("netlink", "add address 172.18.0.1/16 to link #3"));
        assertEquals("delete link", PointNames.what("netlink", "delete link bx-e3a6234abfff"));
    }

    @Test
    void readsAreNoPoints() {
        assertNull(PointNames.what("netlink", "get link br-24e19f7e5e74"));
    }

    @Test
    void pathsAndKeysLoseTheirGeneratedParts() {
        assertEquals("net/ipv6/conf/*/accept_ra", PointNames.what("sysctl", "net/ipv6/conf/br-24e19f7e5e74/accept_ra"));
        assertEquals("net/ipv4/ip_forward", PointNames.what("sysctl", "net.ipv4.ip_forward"));
        assertEquals("tmp/*/exec/netns/*", PointNames.what("unlink", "/tmp/berth-it-5464396163823194448/exec/netns/a1"));
    }

    @Test
    void threadNamesLoseCountersAndIds() {
        assertEquals("netns-*", PointNames.stable("netns-4cd2c4acbddb"));
        assertEquals("berth-api-*", PointNames.stable("berth-api-12"));
        assertEquals("berth-link-reaper", PointNames.stable("berth-link-reaper"));
    }
}
