package dev.berth.kernel.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** Runs a callable once on a worker thread and hands its result or failure to the waiting thread. */
final class TaskOutcome<T> implements Runnable {
    private final Callable<T> task;
    private T value;
    private Throwable failure;
    private boolean done;

    TaskOutcome(Callable<T> task) {
        this.task = task;
    }

    @Override
    public void run() {
        T v = null;
        Throwable f = null;
        try {
            v = task.call();
        } catch (Throwable t) {
            f = t;
        }
        finish(v, f);
    }

    /** Ends the task without running it (its worker could not enter the namespace). */
    void fail(Throwable cause) {
        finish(null, cause);
    }

    private synchronized void finish(T v, Throwable f) {
        value = v;
        failure = f;
        done = true;
        notifyAll();
    }

    /**
     * Waits for the outcome and returns or throws it. The task is short and already changing
     * kernel state, so an interrupt does not end the wait; it is kept for the caller.
     */
    T await() {
        UninterruptibleWait.until(this, () -> done);
        return get();
    }

    /** The outcome of a finished task (after {@link #await}, or after joining its thread). */
    synchronized T get() {
        if (!done) {
            throw new IllegalStateException("namespace task did not run to completion");
        }
        if (failure == null) {
            return value;
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure instanceof IOException io) {
            throw new UncheckedIOException(io);
        }
        throw new RuntimeException("task in network namespace failed: " + failure, failure);
    }
}
