package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.DeviceNames;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Rtnl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes host links off the request path. Deleting a netdev costs the kernel 15–40 ms (an RCU
 * grace period), so a disconnect hands the veth's host end here, and a network removal first
 * detaches its bridge (addresses gone, down, renamed to {@link DeviceNames#RETIRED_BRIDGE_PREFIX})
 * and hands it here. One platform thread, created at start-up in the daemon's namespace, works
 * the queue on a rtnetlink socket of its own, so a slow delete never holds up the request path's
 * socket. It waits for a quiet moment (see {@link #busy}) and then deletes what has queued up in
 * kernel batches.
 *
 * <p>What is handed here is already out of service and renamed, so no caller ever waits for it.
 * Deletions that fail are logged; start-up removes what is left.
 */
public final class LinkReaper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LinkReaper.class.getName());
    /** The device group of links about to be deleted together ("bert"); nothing else is ever put in it. */
    static final int RETIRED_GROUP = DeviceNames.RETIRED_LINK_GROUP;
    private static final int MAX_BATCH = 64;
    static final long QUIET_MS = 200;
    static final long MAX_DEFER_MS = 2000;
    private final Rtnl netlink;
    private final Queue<Retired> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Monotonic nanoseconds ({@link System#nanoTime()}; a test's own clock). */
    private final LongSupplier clock;
    private volatile long lastActivity;
    private volatile long oldestQueued;
    private final ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("berth-link-reaper").daemon(true).factory());

    /** {@code netlink}: a socket of its own in the daemon's host namespace; the reaper closes it. */
    public LinkReaper(Rtnl netlink) {
        this(netlink, System::nanoTime);
    }

    /** With the clock the quiet-time decisions read: {@link System#nanoTime()} but in tests. */
    LinkReaper(Rtnl netlink, LongSupplier clock) {
        this.netlink = netlink;
        this.clock = clock;
        this.lastActivity = clock.getAsLong();
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Deletes, in the background, every retired bridge a previous run left behind: a {@code bx-}
     * bridge in Berth's ownership group, or any link in {@link #RETIRED_GROUP} (only the reaper puts
     * links there, right before deleting them).
     */
    public void sweepLeftovers() {
        worker.execute(() -> {
            try {
                netlink.deleteGroup(RETIRED_GROUP);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "delete links left in group " + RETIRED_GROUP + ": " + e.getMessage(), e);
            }
        });
        for (Link link : netlink.links()) {
            if (BridgeOwnership.isRetiredByBerth(link)) {
                LOG.info("deleting " + link.name() + ", left by an interrupted network removal");
                delete(link.name());
            } else if (link.name().startsWith(DeviceNames.RETIRED_BRIDGE_PREFIX)) {
                // the name alone proves nothing (a version before ownership was recorded renamed a
                // host's eth0 this way): only a bridge in Berth's group is Berth's to delete
                LOG.warning("leaving " + link.name() + " alone: it looks retired, but Berth did not create it");
            }
        }
    }

    /**
     * The request path is changing links now. Deletions wait until it has been quiet for
     * {@value #QUIET_MS} ms (or the oldest has waited {@value #MAX_DEFER_MS} ms): a deletion holds
     * the kernel's RTNL lock, which every link change of a request then waits for.
     */
    void busy() {
        lastActivity = clock.getAsLong();
    }

    /** A link queued for deletion; {@code grouped}: already put in {@link #RETIRED_GROUP} by whoever retired it. */
    private record Retired(String name, boolean grouped) {
    }

    /** Queues deletion of a host link. */
    void delete(String link) {
        queue(new Retired(link, false));
    }

    /** Queues deletion of a host link its owner already put in {@link #RETIRED_GROUP} ({@code Rtnl.detach}). */
    void deleteGrouped(String link) {
        queue(new Retired(link, true));
    }

    private void queue(Retired link) {
        pending.add(link);
        if (scheduled.compareAndSet(false, true)) {
            oldestQueued = clock.getAsLong();
            schedule(TimeUnit.MILLISECONDS.toNanos(QUIET_MS));
        }
    }

    private void schedule(long delayNanos) {
        try {
            worker.schedule(this::reapWhenQuiet, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing: close() deletes what is queued
        }
    }

    private void reapWhenQuiet() {
        long now = clock.getAsLong();
        long quiet = TimeUnit.MILLISECONDS.toNanos(QUIET_MS);
        long idle = now - lastActivity;
        if (idle < quiet && now - oldestQueued < TimeUnit.MILLISECONDS.toNanos(MAX_DEFER_MS)) {
            schedule(quiet - idle);
            return;
        }
        scheduled.set(false);
        reapAll();
    }

    private void reapAll() {
        while (!pending.isEmpty()) {
            reap();
        }
    }

    /**
     * Deletes what is queued. One link goes by name; several are put in {@link #RETIRED_GROUP}
     * and deleted with one group request, so the kernel unregisters them in one batch with one
     * RCU grace period instead of one each (and holds the RTNL lock once, not once per link).
     */
    private void reap() {
        List<Retired> batch = new ArrayList<>();
        for (Retired link = pending.poll(); link != null; link = batch.size() < MAX_BATCH ? pending.poll() : null) {
            batch.add(link);
        }
        if (batch.size() == 1) {
            deleteOne(batch.getFirst().name());
        } else if (!batch.isEmpty()) {
            List<String> grouped = new ArrayList<>();
            for (Retired link : batch) {
                if (link.grouped()) {
                    grouped.add(link.name());
                    continue;
                }
                try {
                    netlink.setGroup(link.name(), RETIRED_GROUP);
                    grouped.add(link.name());
                } catch (KernelException e) {
                    if (e.errno() != Errno.ENODEV) {
                        deleteOne(link.name());
                    }
                }
            }
            try {
                netlink.deleteGroup(RETIRED_GROUP);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "delete " + grouped.size() + " retired links at once (deleting them one by one): "
                        + e.getMessage(), e);
                grouped.forEach(this::deleteOne);
            }
        }
    }

    private void deleteOne(String link) {
        try {
            netlink.deleteLink(link);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "delete link " + link + " (start-up will retry): " + e.getMessage(), e);
        }
    }

    /**
     * Waits (at most {@code limit}) until every deletion queued so far is done: for a bridge that
     * ran out of ports because retired ones are still on it. Returns whether they are done.
     */
    boolean drain(Duration limit) {
        try {
            worker.submit(this::reapAll).get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return false;
        }
    }

    /** Finishes the queue (bounded), stops the thread and closes the socket. */
    @Override
    public void close() {
        try {
            worker.submit(this::reapAll);
        } catch (RejectedExecutionException e) {
            // closed before
        }
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
