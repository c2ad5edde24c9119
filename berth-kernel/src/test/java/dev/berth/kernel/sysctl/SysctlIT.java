package dev.berth.kernel.sysctl;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.BridgeSpec;
import dev.berth.kernel.testing.ThrowawayNs;
import dev.berth.kernel.testing.ThrowawayNsExtension;

import static org.junit.jupiter.api.Assertions.*;

/** Writes only inside throwaway namespaces; the initial namespace is only ever read. */
@ExtendWith(ThrowawayNsExtension.class)
class SysctlIT {
    private ThrowawayNs ns;

    @BeforeEach
    void setUp(ThrowawayNs ns) {
        this.ns = ns;
    }

    @Test
    void writeInsideChangesOnlyThatNamespace() {
        String initialBefore = Sysctl.read("net.ipv4.ip_forward");
        assertEquals("0", Sysctl.read(ns.handle(), "net.ipv4.ip_forward"));

        Sysctl.write(ns.handle(), "net.ipv4.ip_forward", "1");

        assertEquals("1", Sysctl.read(ns.handle(), "net.ipv4.ip_forward"));
        assertEquals("1", ns.exec("cat", "/proc/sys/net/ipv4/ip_forward").output().trim());
        assertEquals(initialBefore, Sysctl.read("net.ipv4.ip_forward"), "initial namespace untouched");
    }

    @Test
    void slashFormWithDottedInterfaceName() {
        ns.rtnl().createBridge(BridgeSpec.named("br-a.5"));
        String key = "net/ipv6/conf/br-a.5/accept_ra";
        Sysctl.write(ns.handle(), key, "0");
        assertEquals("0", Sysctl.read(ns.handle(), key));
        Sysctl.write(ns.handle(), "net.ipv6.conf.all.proxy_ndp", "1");
        assertEquals("1", ns.exec("sysctl", "-n", "net.ipv6.conf.all.proxy_ndp").output().trim());
    }

    @Test
    void writeIfPresentSkipsOnlyAMissingKey() {
        assertFalse(ns.handle().call(() -> Sysctl.writeIfPresent("net/ipv6/conf/nosuchdev/disable_ipv6", "1")));
        assertTrue(ns.handle().call(() -> Sysctl.writeIfPresent("net.ipv6.conf.default.disable_ipv6", "1")));
        assertEquals("1", Sysctl.read(ns.handle(), "net.ipv6.conf.default.disable_ipv6"));
        KernelException bad = assertThrows(KernelException.class,
                () -> ns.handle().call(() -> Sysctl.writeIfPresent("net.ipv4.ip_forward", "banana")));
        assertTrue(bad.isErrno(Errno.EINVAL), bad.getMessage());
    }

    @Test
    void errorsNameKeyAndErrno() {
        KernelException missing = assertThrows(KernelException.class,
                () -> Sysctl.read(ns.handle(), "net.ipv4.conf.nosuchdev.forwarding"));
        assertTrue(missing.isErrno(Errno.ENOENT), missing.getMessage());
        assertTrue(missing.getMessage().startsWith("read sysctl net.ipv4.conf.nosuchdev.forwarding: ENOENT"),
                missing.getMessage());

        KernelException bad = assertThrows(KernelException.class,
                () -> Sysctl.write(ns.handle(), "net.ipv4.ip_forward", "banana"));
        assertTrue(bad.isErrno(Errno.EINVAL), bad.getMessage());
    }
}
