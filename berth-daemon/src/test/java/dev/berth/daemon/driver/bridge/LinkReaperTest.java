package dev.berth.daemon.driver.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.DeviceNames;
import dev.berth.kernel.netlink.Link;
import java.time.Duration;
import java.util.List;
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

    @Test
    void deletionsWaitWhileTheRequestPathIsBusy() throws InterruptedException {
        netlink.add("veth0000001", "veth", 0, 0);
        reaper.delete("veth0000001");
        long until = System.nanoTime() + Duration.ofMillis(LinkReaper.QUIET_MS * 2).toNanos();
        while (System.nanoTime() < until) {
            reaper.busy();
            Thread.sleep(20);
        }
        assertTrue(netlink.byName("veth0000001").isPresent(), "nothing is deleted while requests keep coming");

        assertTrue(reaper.drain(Duration.ofSeconds(5)));
        assertFalse(netlink.byName("veth0000001").isPresent());
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
