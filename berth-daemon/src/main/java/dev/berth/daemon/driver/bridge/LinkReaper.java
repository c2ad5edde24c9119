package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.DeviceNames;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RtNetlink;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes host links off the request path. Deleting a netdev costs the kernel 15–40 ms (an RCU
 * grace period), so a disconnect hands the veth's host end here, and a network removal first
 * detaches its bridge (addresses gone, down, renamed to {@link DeviceNames#RETIRED_BRIDGE_PREFIX})
 * and hands it here. One platform thread, created at start-up in the daemon's namespace, works
 * the queue in order on a rtnetlink socket of its own, so a slow delete never holds up the
 * request path's socket.
 *
 * <p>What is handed here is already out of service and renamed, so no caller ever waits for it.
 * Deletions that fail are logged; start-up removes what is left.
 */
public final class LinkReaper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LinkReaper.class.getName());
    private final RtNetlink netlink;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("berth-link-reaper").daemon(true).factory());

    /** {@code netlink}: a socket of its own in the daemon's host namespace; the reaper closes it. */
    public LinkReaper(RtNetlink netlink) {
        this.netlink = netlink;
    }

    /** Deletes, in the background, every retired bridge a previous run left behind. */
    public void sweepLeftovers() {
        for (Link link : netlink.links()) {
            if (link.name().startsWith(DeviceNames.RETIRED_BRIDGE_PREFIX)) {
                LOG.info("deleting " + link.name() + ", left by an interrupted network removal");
                delete(link.name());
            }
        }
    }

    /** Queues deletion of a host link. */
    void delete(String link) {
        worker.execute(() -> {
            try {
                netlink.deleteLink(link);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "delete link " + link + " (start-up will retry): " + e.getMessage(), e);
            }
        });
    }

    /** Finishes the queue (bounded), stops the thread and closes the socket. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("link deletions still queued at shutdown; start-up will finish them");
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        netlink.close();
    }
}
