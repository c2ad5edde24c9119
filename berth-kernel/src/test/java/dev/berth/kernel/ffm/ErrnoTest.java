package dev.berth.kernel.ffm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ErrnoTest {
    @Test
    void namesAndDescriptions() {
        assertEquals("EEXIST", Errno.name(17));
        assertEquals("ENODEV", Errno.name(Errno.ENODEV));
        assertEquals("EADDRNOTAVAIL", Errno.name(99));
        assertEquals("ESRCH", Errno.name(3));
        assertEquals("File exists", Errno.description(Errno.EEXIST));
        assertEquals("errno 4095", Errno.name(4095));
    }

    @Test
    void kernelExceptionNamesActionAndErrno() {
        KernelException e = new KernelException("create veth vethab12 in netns c1", Errno.EEXIST);
        assertEquals("create veth vethab12 in netns c1: EEXIST (File exists)", e.getMessage());
        assertTrue(e.isErrno(Errno.EEXIST));
        assertFalse(e.isErrno(Errno.ENOENT));
        assertEquals("EEXIST", e.errnoName());

        KernelException wider = new KernelException("setns fd 9", Errno.EBADF).during("enter netns /run/netns/x");
        assertEquals("enter netns /run/netns/x: EBADF (Bad file descriptor)", wider.getMessage());
        assertEquals(Errno.EBADF, wider.errno());
        assertNotNull(wider.getCause());

        KernelException detail = new KernelException("add route default", Errno.EINVAL, "Nexthop has invalid gateway");
        assertEquals("add route default: EINVAL (Invalid argument) - Nexthop has invalid gateway", detail.getMessage());
        assertEquals("parse netlink reply: bad length", new KernelException("parse netlink reply", "bad length").getMessage());
    }

    @Test
    void libcCapturesErrno() {
        // Unprivileged and side-effect free: a path that cannot exist and a bad descriptor.
        KernelException open = assertThrows(KernelException.class,
                () -> Libc.open("/nonexistent-berth-dir/x", Libc.O_RDONLY, 0));
        assertEquals(Errno.ENOENT, open.errno());
        KernelException close = assertThrows(KernelException.class, () -> Libc.close(-1));
        assertEquals(Errno.EBADF, close.errno());
        assertTrue(Libc.getpid() > 0);
        assertEquals(ProcessHandle.current().pid(), Libc.getpid());
    }
}
