package dev.berth.core.service.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The undo steps of one change, run in reverse when a later step fails; failures of undo steps
 * are attached to the original failure as suppressed.
 */
final class Undo {
    private final Deque<Runnable> steps = new ArrayDeque<>();

    void push(Runnable step) {
        steps.push(step);
    }

    /** Runs every registered step, newest first, and returns the failure for rethrowing. */
    RuntimeException rollback(RuntimeException failure) {
        while (!steps.isEmpty()) {
            try {
                steps.pop().run();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }
}
