package dev.berth.core.service.network;

import dev.berth.core.errors.ConflictException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * moby's rule for a kind of prune (networks, containers): one at a time; a second while one runs
 * is a 409 with moby's words, and changes nothing.
 */
public final class OnePrune {
    private final AtomicBoolean running = new AtomicBoolean();

    /** Runs {@code prune} unless one of this kind is running. */
    public <T> T run(Supplier<T> prune) {
        if (!running.compareAndSet(false, true)) {
            throw new ConflictException("a prune operation is already running");
        }
        try {
            return prune.get();
        } finally {
            running.set(false);
        }
    }
}
