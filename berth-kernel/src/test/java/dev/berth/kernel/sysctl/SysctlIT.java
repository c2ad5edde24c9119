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

    @Test
    void aDirectoryOpenedInsideWritesBelowItInThatNamespaceOnly() {
        ns.rtnl().createBridge(BridgeSpec.named("br-d.1"));
        String initial = Sysctl.read("net/ipv6/conf/lo/accept_ra");
        SysctlDir conf = Sysctls.KERNEL.dir(ns.handle(), "net/ipv6/conf");
        try {
            assertTrue(conf.toString().contains("(fd "), conf.toString());
            Sysctls.KERNEL.write(ns.handle(), conf, "br-d.1/disable_ipv6", "1");
            assertEquals("1", Sysctl.read(ns.handle(), "net/ipv6/conf/br-d.1/disable_ipv6"));
            Sysctls.KERNEL.write(ns.handle(), conf, "lo/accept_ra", "0");
            assertEquals("0", ns.exec("cat", "/proc/sys/net/ipv6/conf/lo/accept_ra").output().trim());
            assertEquals(initial, Sysctl.read("net/ipv6/conf/lo/accept_ra"), "initial namespace untouched");
            assertFalse(ns.handle().call(() -> conf.writeIfPresent("nosuchdev/disable_ipv6", "1")));
            KernelException bad = assertThrows(KernelException.class,
                    () -> ns.handle().run(() -> conf.write("lo/accept_ra", "banana")));
            assertTrue(bad.isErrno(Errno.EINVAL), bad.getMessage());
            assertTrue(bad.getMessage().startsWith("write sysctl net/ipv6/conf/lo/accept_ra=banana"), bad.getMessage());
        } finally {
            conf.close();
        }
        assertThrows(IllegalArgumentException.class, () -> SysctlDir.unopened("net/../ipv6"));
        assertFalse(ns.handle().call(() -> SysctlDir.open("net/nosuchfamily/conf")).toString().contains("(fd "),
                "a directory the kernel lacks opens unopened");
    }
}
