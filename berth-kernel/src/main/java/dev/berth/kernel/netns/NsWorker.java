package dev.berth.kernel.netns;

import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The platform thread of one {@link NetNs} handle: it enters that namespace once, then runs the
 * handle's tasks there one after another, and ends when it has had nothing to do for
 * {@link #IDLE_NANOS} or the handle closes; a task after that starts a new worker. It never
 * leaves the namespace, so no task of another namespace ever runs on it, and nothing that a task
 * left behind on the thread can reach other work. What a connect costs then is a hand-off to a
 * parked thread instead of creating and ending a thread for each sysctl write.
 */
final class NsWorker implements Runnable {
    /** How long a worker waits for the next task before it ends. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int target;
    private final String name;
    private final ArrayDeque<TaskOutcome<?>> queue = new ArrayDeque<>();
    private boolean entered;
    private boolean closing;
    private boolean ended;

    /** {@code target}: the handle's fd, used once, before {@link #close} returns. */
    NsWorker(int target, String name) {
        this.target = target;
        this.name = name;
    }

    /** Queues a task; false when this worker takes no more (it ended: start another). */
    synchronized boolean offer(TaskOutcome<?> task) {
        if (ended || closing) {
            return false;
        }
        queue.add(task);
        notifyAll();
        return true;
    }

    /**
     * No more tasks: the worker ends once the queued ones ran. Returns after it has used the
     * handle's fd (entered the namespace or failed to), so the caller may close the fd.
     */
    synchronized void close() {
        closing = true;
        notifyAll();
        UninterruptibleWait.until(this, () -> entered);
    }

    @Override
    public void run() {
        KernelException refused = null;
        try {
            Libc.setns(target, Libc.CLONE_NEWNET);
        } catch (KernelException e) {
            refused = e.during("enter netns " + name);
        }
        synchronized (this) {
            entered = true;
            notifyAll();
        }
        while (true) {
            TaskOutcome<?> task = next(refused != null);
            if (task == null) {
                return;
            }
            if (refused != null) {
                task.fail(refused);
            } else {
                task.run();
            }
        }
    }

    /** The next task, or null (and the worker ended) when idle too long, closed, or {@code draining} and empty. */
    private synchronized TaskOutcome<?> next(boolean draining) {
        long deadline = System.nanoTime() + IDLE_NANOS;
        while (queue.isEmpty() && !closing && !draining) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                // nobody interrupts a worker on purpose; the idle wait just goes on
            }
        }
        TaskOutcome<?> task = queue.poll();
        if (task == null) {
            ended = true;
        }
        return task;
    }
}
