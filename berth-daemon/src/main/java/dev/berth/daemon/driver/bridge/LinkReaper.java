package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.DeviceNames;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RtNetlink;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes links in the background. Deleting a netdev costs the kernel 15–40 ms (it waits for RCU
 * grace periods), so removal requests only detach a link (addresses flushed, down, renamed to
 * {@link DeviceNames#RETIRED_BRIDGE_PREFIX}) and hand it here. Has its own rtnetlink socket, so
 * a slow delete never holds up the request path's socket, and one platform thread created at
 * start-up in the daemon's namespace.
 */
public final class LinkReaper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LinkReaper.class.getName());
    private final RtNetlink netlink;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("berth-link-reaper").daemon(true).factory());

    /** {@code netlink} must be bound to the daemon's host namespace; the reaper closes it. */
    public LinkReaper(RtNetlink netlink) {
        this.netlink = netlink;
    }

    /** Deletes, in the background, every retired device a previous run left behind. */
    public void sweepLeftovers() {
        for (Link link : netlink.links()) {
            if (link.name().startsWith(DeviceNames.RETIRED_BRIDGE_PREFIX)) {
                LOG.info("deleting " + link.name() + ", left by an interrupted network removal");
                delete(link.index(), link.name());
            }
        }
    }

    /** Queues the deletion; failures are logged (the device keeps its retired name and is swept). */
    public void delete(int index, String name) {
        worker.execute(() -> {
            try {
                netlink.deleteLink(index);
            } catch (KernelException e) {
                LOG.log(Level.WARNING, "background delete of " + name + " failed: " + e.getMessage(), e);
            }
        });
    }

    /** Finishes queued deletions (up to a few seconds), then closes the socket. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warning("link deletions still queued at shutdown; the next start sweeps them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        netlink.close();
    }
}
