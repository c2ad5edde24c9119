package dev.berth.daemon.reconcile;

import dev.berth.core.service.sandbox.Reconciler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@link Reconciler#pass()} every {@link #PERIOD} on one platform thread of its own (it
 * reads the host namespace through the daemon's netlink socket; no namespace switch), so drift is
 * repaired within two periods plus the repair. A pass that throws is logged and the next one runs.
 * Each pass's duration is logged at debug level: with nothing to repair it is one link dump, one
 * address dump and one nft listing.
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class.getName());
    static final Duration PERIOD = Duration.ofSeconds(2);
    private final Reconciler reconciler;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("reconcile").daemon(true).factory());

    public ReconcileLoop(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::pass, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pass() {
        long start = System.nanoTime();
        try {
            int found = reconciler.pass().size();
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("reconcile pass: " + found + " differences, " + (System.nanoTime() - start) / 1000 + " µs");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reconcile pass failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
