package dev.berth.kernel.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** Runs a callable once on a worker thread and hands its result or failure to the joining thread. */
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
        try {
            value = task.call();
        } catch (Throwable t) {
            failure = t;
        }
        done = true;
    }

    /** Call after joining the worker (join gives the happens-before edge). */
    T get() {
        if (!done && failure == null) {
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
