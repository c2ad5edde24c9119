package dev.berth.it;

import java.util.function.BooleanSupplier;

/** Waiting for the daemon or the kernel to get somewhere, as the ITs do it. */
final class Poll {
    private Poll() {
    }

    /** Polls every 100 ms for up to {@code seconds}; fails naming {@code what}. */
    static void eventually(double seconds, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
