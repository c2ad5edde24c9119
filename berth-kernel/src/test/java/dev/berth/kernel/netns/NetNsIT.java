package dev.berth.kernel.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.testing.ThrowawayNs;
import dev.berth.kernel.testing.ThrowawayNs.Shell;

import static org.junit.jupiter.api.Assertions.*;

class NetNsIT {
    private final String name = ThrowawayNs.randomName();
    private final Path file = Path.of("/run/netns", name);

    @AfterEach
    void tearDown() {
        NetNs.delete(file);
        Shell.run("ip", "netns", "del", name); // belt and braces; fails harmlessly when gone
    }

    @Test
    void createIsVisibleToIpAndDeleteRemovesIt() {
        try (NetNs ns = NetNs.create(file)) {
            assertTrue(Files.exists(file));
            assertTrue(Shell.run("ip", "netns", "list").output().contains(name));
            try (NetNs init = NetNs.current()) {
                assertNotEquals(init.inode(), ns.inode());
            }
            // ip sees the same, empty namespace
            String links = Shell.run("ip", "-n", name, "-br", "link").output();
            assertTrue(links.startsWith("lo"), links);
            assertEquals(1, links.strip().lines().count(), links);
        }
        NetNs.delete(file);
        assertFalse(Files.exists(file));
        assertFalse(Shell.run("ip", "netns", "list").output().contains(name));
        assertFalse(mountedAt(file), "no mount left at " + file);
        NetNs.delete(file); // idempotent
    }

    @Test
    void createTwiceIsEexist() {
        try (NetNs ns = NetNs.create(file)) {
            KernelException e = assertThrows(KernelException.class, () -> NetNs.create(file));
            assertTrue(e.isErrno(Errno.EEXIST), e.getMessage());
            assertTrue(Files.exists(file), "the failed create must not remove the existing namespace");
            assertEquals(ns.inode(), NetNs.open(file).inode());
        }
    }

    @Test
    void isOtherNetNsOnlyForAPinnedNetworkNamespaceThatIsNotTheCallers() throws IOException {
        assertFalse(NetNs.isOtherNetNs(file), "no file");
        try (NetNs ns = NetNs.create(file)) {
            assertTrue(NetNs.isOtherNetNs(file), "a namespace create pinned");
        }
        assertTrue(NetNs.isOtherNetNs(file), "still pinned after the handle is closed");
        Libc.umount2(file.toString(), Libc.MNT_DETACH);
        assertTrue(Files.exists(file));
        assertFalse(NetNs.isOtherNetNs(file), "the empty file an unmount leaves");
        assertFalse(NetNs.isOtherNetNs(Path.of("/proc/thread-self/ns/net")), "the caller's own namespace");
        assertFalse(NetNs.isOtherNetNs(Path.of("/proc/self/ns/mnt")), "a namespace of another kind");
    }

    @Test
    void theTasksOfOneHandleShareAWorkerThatStaysInsideAndEndsWithTheHandle() {
        Thread first;
        try (NetNs ns = NetNs.create(file)) {
            first = ns.call(Thread::currentThread);
            assertSame(first, ns.call(Thread::currentThread), "the second task found the worker waiting");
            long inside = ns.call(() -> {
                try (NetNs here = NetNs.current()) {
                    return here.inode();
                }
            });
            assertEquals(ns.inode(), inside);
            assertTrue(first.isAlive());
        }
        assertDoesNotThrow(() -> first.join(5_000));
        assertFalse(first.isAlive(), "the worker ends with its handle");
        try (NetNs again = NetNs.open(file)) {
            Thread idle = again.call(Thread::currentThread);
            assertDoesNotThrow(() -> idle.join(10_000));
            assertFalse(idle.isAlive(), "an idle worker ends by itself");
            assertNotSame(idle, again.call(Thread::currentThread), "the next task gets a new worker");
        }
    }

    @Test
    void openMissingIsEnoent() {
        KernelException e = assertThrows(KernelException.class, () -> NetNs.open(file));
        assertTrue(e.isErrno(Errno.ENOENT), e.getMessage());
    }

    @Test
    void callRunsInsideAndRestores() {
        try (NetNs ns = NetNs.create(file); NetNs init = NetNs.current()) {
            long inside = ns.call(() -> {
                try (NetNs here = NetNs.current()) {
                    return here.inode();
                }
            });
            assertEquals(ns.inode(), inside);
            try (NetNs after = NetNs.current()) {
                assertEquals(init.inode(), after.inode(), "the caller never changes namespace");
            }
            List<Link> links = ns.call(() -> {
                try (RtNetlink rt = RtNetlink.open()) {
                    return rt.links();
                }
            });
            assertEquals(List.of("lo"), links.stream().map(Link::name).toList());
        }
    }

    @Test
    void callFromVirtualThreadUsesPlatformWorker() throws Exception {
        try (NetNs ns = NetNs.create(file)) {
            AtomicReference<Object> result = new AtomicReference<>();
            Thread vt = Thread.ofVirtual().start(() -> result.set(ns.call(() -> {
                try (NetNs here = NetNs.current()) {
                    return List.of(Thread.currentThread().isVirtual(), here.inode());
                }
            })));
            vt.join();
            assertEquals(List.of(false, ns.inode()), result.get());
        }
    }

    @Test
    void exceptionsPropagate() {
        try (NetNs ns = NetNs.create(file)) {
            IllegalStateException ise = assertThrows(IllegalStateException.class, () -> ns.run(() -> {
                throw new IllegalStateException("boom");
            }));
            assertEquals("boom", ise.getMessage());
            assertThrows(UncheckedIOException.class, () -> ns.call(() -> {
                throw new IOException("io");
            }));
        }
    }

    @Test
    void socketKeepsItsNamespace() {
        try (NetNs ns = NetNs.create(file); RtNetlink rt = RtNetlink.openIn(ns)) {
            rt.createBridge(dev.berth.kernel.netlink.BridgeSpec.named("br-keep"));
            assertTrue(Shell.run("ip", "-n", name, "-br", "link").output().contains("br-keep"));
            assertFalse(Shell.run("ip", "-br", "link").output().contains("br-keep"));
        }
    }

    private static boolean mountedAt(Path p) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .anyMatch(l -> l.contains(" " + p + " "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
