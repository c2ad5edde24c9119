package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.DeviceNames;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RtNetlink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>A join into a sandbox first waits for that sandbox's pending deletions ({@link #await}), so a
 * quick disconnect/connect never finds the old {@code eth<N>} still there. Deletions that fail
 * are logged; start-up removes what is left.
 */
public final class LinkReaper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LinkReaper.class.getName());
    private final RtNetlink netlink;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("berth-link-reaper").daemon(true).factory());
    private final Map<String, List<Future<?>>> pending = new HashMap<>();

    /** {@code netlink}: a socket of its own in the daemon's host namespace; the reaper closes it. */
    public LinkReaper(RtNetlink netlink) {
        this.netlink = netlink;
    }

    /** Deletes, in the background, every retired bridge a previous run left behind. */
    public void sweepLeftovers() {
        for (Link link : netlink.links()) {
            if (link.name().startsWith(DeviceNames.RETIRED_BRIDGE_PREFIX)) {
                LOG.info("deleting " + link.name() + ", left by an interrupted network removal");
                delete("", link.name());
            }
        }
    }

    /** Queues deletion of a host link; {@code key} (a sandbox, or "") is what {@link #await} waits on. */
    synchronized void delete(String key, String link) {
        Future<?> done = worker.submit(() -> {
            try {
                netlink.deleteLink(link);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "delete link " + link + " (start-up will retry): " + e.getMessage(), e);
            }
        });
        pending.values().forEach(waits -> waits.removeIf(Future::isDone));
        pending.values().removeIf(List::isEmpty);
        pending.computeIfAbsent(key, k -> new ArrayList<>()).add(done);
    }

    /** Waits until every deletion queued under the key has run. */
    void await(String key) {
        List<Future<?>> waits;
        synchronized (this) {
            waits = pending.remove(key);
        }
        if (waits == null) {
            return;
        }
        for (Future<?> f : waits) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.WARNING, "waiting for a link deletion in " + key + ": " + e, e);
            }
        }
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
