package dev.berth.kernel.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.testing.ThrowawayNs;
import dev.berth.kernel.testing.ThrowawayNs.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Visitors in real namespaces: each task runs inside its own namespace (a socket it opens lives
 * there), the few threads serve many namespaces, and a thread is back home after each visit.
 */
class NsVisitorsIT {
    private final List<String> names = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (String name : names) {
            NetNs.delete(Path.of("/run/netns", name));
            Shell.run("ip", "netns", "del", name);
        }
    }

    @Test
    void eachTaskRunsInItsNamespaceOnAFewThreadsThatGoHomeAfterEachVisit() throws Exception {
        List<NetNs> handles = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = ThrowawayNs.randomName();
            names.add(name);
            handles.add(NetNs.create(Path.of("/run/netns", name)));
            // a veth of a name of its own in each, to tell the namespaces apart from inside
            assertEquals(0, Shell.run("ip", "-n", name, "link", "add", "mark" + i, "type", "veth", "peer", "name", "peer" + i).exit());
        }
        long home;
        try (NetNs here = NetNs.current()) {
            home = here.inode();
        }
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        try (NsVisitors visitors = new NsVisitors(2)) {
            List<CompletableFuture<Long>> seen = new ArrayList<>();
            List<CompletableFuture<RtNetlink>> sockets = new ArrayList<>();
            for (int i = 0; i < handles.size(); i++) {
                seen.add(visitors.submit(handles.get(i), () -> {
                    threads.add(Thread.currentThread());
                    try (NetNs inside = NetNs.current()) {
                        return inside.inode();
                    }
                }));
                sockets.add(RtNetlink.openIn(handles.get(i), dev.berth.kernel.ffm.KernelErrors.NONE, visitors));
            }
            for (int i = 0; i < handles.size(); i++) {
                assertEquals(handles.get(i).inode(), seen.get(i).join(), "task " + i + " ran inside its namespace");
                try (RtNetlink socket = sockets.get(i).join()) {
                    assertTrue(socket.link("mark" + i).isPresent(), "socket " + i + " lives in its namespace");
                }
            }
            assertTrue(threads.size() <= 2, "at most 2 threads for 24 visits: " + threads);
            // the future completes once the thread is back: its namespace, seen from outside, is home again
            String task = visitors.submit(handles.getFirst(),
                    () -> Files.readSymbolicLink(Path.of("/proc/thread-self")).toString()).join();
            assertEquals(home, (Long) Files.getAttribute(Path.of("/proc", task, "ns/net"), "unix:ino"),
                    "the visitor went home after its visit");
        } finally {
            handles.forEach(NetNs::close);
        }
    }

    @Test
    void aNamespaceThatCannotBeEnteredFailsItsTaskAndTheThreadServesTheNext() {
        String name = ThrowawayNs.randomName();
        names.add(name);
        try (NetNs ns = NetNs.create(Path.of("/run/netns", name)); NsVisitors visitors = new NsVisitors(1);
             NetNs notANamespace = NetNs.open(Path.of("/dev/null"))) {
            CompletableFuture<Long> refused = visitors.submit(notANamespace, () -> 1L);
            KernelException e = assertInstanceOf(KernelException.class, refused.handle((v, t) -> t).join());
            assertTrue(e.getMessage().contains("enter netns"), e.getMessage());
            assertEquals(ns.inode(), visitors.submit(ns, () -> {
                try (NetNs inside = NetNs.current()) {
                    return inside.inode();
                }
            }).join());
        }
    }
}
