package dev.berth.daemon.driver.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.DeviceNames;
import dev.berth.kernel.netlink.Link;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Background link deletion on an in-memory rtnetlink fake: batching by device group, fallbacks, leftovers, shutdown. */
class LinkReaperTest {
    private static final String GROUP = String.valueOf(LinkReaper.RETIRED_GROUP);
    private final FakeRtnl netlink = new FakeRtnl();
    private final LinkReaper reaper = new LinkReaper(netlink);

    @AfterEach
    void close() {
        reaper.close();
    }

    private long count(String prefix) {
        return netlink.calls.stream().filter(c -> c.startsWith(prefix)).count();
    }

    @Test
    void oneLinkIsDeletedByNameOffTheCallersThread() {
        netlink.add("veth0000001", "veth", 0, 0);

        reaper.delete("veth0000001");
        assertTrue(netlink.byName("veth0000001").isPresent(), "the caller never waits for the deletion");

        assertTrue(reaper.drain(Duration.ofSeconds(5)));
        assertEquals(List.of("deleteLink veth0000001"), netlink.calls);
        assertTrue(netlink.links.isEmpty());
    }

    @Test
    void severalLinksGoInOneGroupDeletion() {
        for (int i = 1; i <= 5; i++) {
            netlink.add("veth000000" + i, "veth", 0, 0);
            reaper.delete("veth000000" + i);
        }

        assertTrue(reaper.drain(Duration.ofSeconds(5)));

        assertTrue(netlink.links.isEmpty(), netlink.names().toString());
        assertEquals(1, count("deleteGroup " + GROUP), netlink.calls.toString());
        assertEquals(0, count("deleteLink"), netlink.calls.toString());
        assertEquals(5, count("setGroup"));
    }

    @Test
    void linksTheirOwnerAlreadyGroupedAreNotGroupedAgain() {
        for (int i = 1; i <= 3; i++) {
            netlink.add("veth000000" + i, "veth", 0, LinkReaper.RETIRED_GROUP);
            reaper.deleteGrouped("veth000000" + i);
        }
        netlink.add("veth0000004", "veth", 0, 0);
        reaper.delete("veth0000004");

        assertTrue(reaper.drain(Duration.ofSeconds(5)));

        assertTrue(netlink.links.isEmpty(), netlink.names().toString());
        assertEquals(List.of("setGroup veth0000004 " + GROUP),
                netlink.calls.stream().filter(c -> c.startsWith("setGroup")).toList());
        assertEquals(1, count("deleteGroup " + GROUP), netlink.calls.toString());
    }

    @Test
    void aLinkAlreadyGoneIsSkippedAndAFailedGroupDeletionFallsBackToOneByOne() {
        netlink.add("veth0000001", "veth", 0, 0);
        netlink.add("veth0000002", "veth", 0, 0);
        netlink.groupDeleteFails = true;
        reaper.delete("veth0000001");
        reaper.delete("veth0000002");
        reaper.delete("veth0000003"); // never existed: ENODEV when grouped, no delete of its own

        assertTrue(reaper.drain(Duration.ofSeconds(5)));

        assertTrue(netlink.links.isEmpty(), netlink.names().toString());
        assertEquals(List.of("deleteLink veth0000001", "deleteLink veth0000002"),
                netlink.calls.stream().filter(c -> c.startsWith("deleteLink")).toList());
    }

    /**
     * A reaper on a clock only the test moves, so what it decides depends on the clock and not on
     * how fast this machine runs; {@code looks} counts its worker's reads of the clock (one per look).
     */
    private record Clocked(LinkReaper reaper, AtomicLong now, AtomicInteger looks) {
        static Clocked over(FakeRtnl netlink) {
            AtomicLong now = new AtomicLong();
            AtomicInteger looks = new AtomicInteger();
            LinkReaper reaper = new LinkReaper(netlink, () -> {
                if (Thread.currentThread().getName().equals("berth-link-reaper")) {
                    looks.incrementAndGet();
                }
                return now.get();
            });
            return new Clocked(reaper, now, looks);
        }

        /** Waits (polling, 30 s at most) until the worker has looked at the clock {@code more} times more. */
        void awaitLooks(int more) throws InterruptedException {
            int until = looks.get() + more;
            await(() -> looks.get() >= until, "the reaper never looked again");
        }
    }

    private static void await(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void deletionsWaitWhileTheRequestPathIsBusyButNotLongerThanTheLongestDeferral() throws InterruptedException {
        Clocked c = Clocked.over(netlink);
        try {
            netlink.add("veth0000001", "veth", 0, 0);
            c.reaper().delete("veth0000001");
            c.now().addAndGet(Duration.ofMillis(LinkReaper.QUIET_MS - 1).toNanos());
            c.reaper().busy();                                   // a request, just now at every look
            c.awaitLooks(2);
            assertTrue(netlink.byName("veth0000001").isPresent(), "nothing is deleted while requests keep coming");

            c.now().addAndGet(Duration.ofMillis(LinkReaper.MAX_DEFER_MS).toNanos());
            c.reaper().busy();                                   // still busy, but the link has waited long enough
            await(() -> netlink.byName("veth0000001").isEmpty(), "not deleted after the longest deferral");
        } finally {
            c.reaper().close();
        }
    }

    @Test
    void aDeletionGoesOnceTheRequestPathHasBeenQuiet() throws InterruptedException {
        Clocked c = Clocked.over(netlink);
        try {
            netlink.add("veth0000001", "veth", 0, 0);
            c.reaper().delete("veth0000001");
            c.awaitLooks(1);
            assertTrue(netlink.byName("veth0000001").isPresent(), "the request path was busy a moment ago");

            c.now().addAndGet(Duration.ofMillis(LinkReaper.QUIET_MS).toNanos());
            await(() -> netlink.byName("veth0000001").isEmpty(), "not deleted after a quiet spell");
            assertEquals(List.of("deleteLink veth0000001"), netlink.calls);
        } finally {
            c.reaper().close();
        }
    }

    @Test
    void leftoversOfAnInterruptedRemovalGoButABridgeBerthDidNotMakeStays() {
        netlink.add("bx-0123456789", "bridge", 0, DeviceNames.OWNED_BRIDGE_GROUP);
        netlink.add("bx-ffffffffff", "bridge", 0, 0);
        netlink.add("veth0000001", "veth", 0, LinkReaper.RETIRED_GROUP);
        netlink.add("eth0", "veth", 0, 0);

        reaper.sweepLeftovers();
        assertTrue(reaper.drain(Duration.ofSeconds(5)));

        assertEquals(List.of("bx-ffffffffff", "eth0"), netlink.names());
        assertTrue(netlink.calls.contains("deleteGroup " + GROUP), netlink.calls.toString());
    }

    @Test
    void closeFinishesTheQueueAndClosesTheSocket() {
        netlink.add("veth0000001", "veth", 0, 0);
        reaper.delete("veth0000001");

        reaper.close();

        assertTrue(netlink.links.isEmpty());
        assertTrue(netlink.closed);
        assertFalse(reaper.drain(Duration.ofMillis(100)), "a closed reaper takes no more work");
    }
}
