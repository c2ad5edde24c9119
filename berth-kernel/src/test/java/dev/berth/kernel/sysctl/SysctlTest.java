package dev.berth.kernel.sysctl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SysctlTest {
    @Test
    void keysMapToProcSys() {
        assertEquals("/proc/sys/net/ipv4/ip_forward", Sysctl.path("net.ipv4.ip_forward"));
        assertEquals("/proc/sys/net/ipv6/conf/br-x.5/accept_ra", Sysctl.path("net/ipv6/conf/br-x.5/accept_ra"));
        assertEquals("/proc/sys/net/ipv4/ip_forward", Sysctl.path("/net/ipv4/ip_forward"));
    }

    @Test
    void keysCannotEscape() {
        assertThrows(IllegalArgumentException.class, () -> Sysctl.path("net/../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> Sysctl.path("net..ipv4"));
        assertThrows(IllegalArgumentException.class, () -> Sysctl.path(" "));
    }

    @Test
    void readsInCallingNamespace() {
        // reading is harmless anywhere; this key exists in every network namespace
        assertTrue(Sysctl.read("net.ipv4.ip_forward").matches("[01]"));
    }
}
