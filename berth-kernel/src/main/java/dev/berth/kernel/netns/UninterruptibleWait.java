package dev.berth.kernel.netns;

import java.util.function.BooleanSupplier;

/**
 * Waiting on a monitor for a condition that another thread will make true soon (a worker entering
 * its namespace, a short task finishing): an interrupt does not end the wait, since what is
 * awaited is already changing kernel state; it is kept for the caller.
 */
final class UninterruptibleWait {
    private UninterruptibleWait() {
    }

    /** Waits on {@code monitor} (notified when {@code condition} may have changed) until it holds. */
    static void until(Object monitor, BooleanSupplier condition) {
        boolean interrupted = false;
        synchronized (monitor) {
            while (!condition.getAsBoolean()) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
