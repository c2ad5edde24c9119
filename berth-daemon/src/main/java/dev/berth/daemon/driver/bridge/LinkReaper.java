package dev.berth.daemon.driver.bridge;

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
 * Deletes host links off the request path. Deleting a veth costs ~15-19 ms in the kernel (an RCU
 * grace period), so a disconnect hands the host end here and returns; the sandbox end goes with
 * it. One platform thread, in the daemon's namespace, works the queue in order.
 *
 * <p>A join into a sandbox first waits for that sandbox's pending deletions, so a quick
 * disconnect/connect never finds the old {@code eth<N>} still there. Deletions that fail are
 * logged; start-up removes what is left.
 */
final class LinkReaper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LinkReaper.class.getName());

    private final RtNetlink host;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("berth-link-reaper").daemon(true).factory());
    private final Map<String, List<Future<?>>> pending = new HashMap<>();

    LinkReaper(RtNetlink host) {
        this.host = host;
    }

    /** Queues deletion of a host link; {@code sandbox} is the key {@link #await} waits on. */
    synchronized void delete(String sandbox, String link) {
        Future<?> done = worker.submit(() -> {
            try {
                host.deleteLink(link);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "delete link " + link + " (start-up will retry): " + e.getMessage(), e);
            }
        });
        pending.values().forEach(waits -> waits.removeIf(Future::isDone));
        pending.values().removeIf(List::isEmpty);
        pending.computeIfAbsent(sandbox, k -> new ArrayList<>()).add(done);
    }

    /** Waits until every deletion queued for the sandbox has run. */
    void await(String sandbox) {
        List<Future<?>> waits;
        synchronized (this) {
            waits = pending.remove(sandbox);
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
                LOG.log(Level.WARNING, "waiting for a link deletion in " + sandbox + ": " + e, e);
            }
        }
    }

    /** Finishes the queue (bounded) and stops the thread. */
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
    }
}
