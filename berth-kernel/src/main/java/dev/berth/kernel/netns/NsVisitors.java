package dev.berth.kernel.netns;

import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A few platform threads that visit network namespaces one after another, for passes over many
 * namespaces (start-up's restore): a task runs on one of them after it entered the task's
 * namespace with {@code setns}, and the thread goes back to its home namespace (the one of the
 * thread that made this object) before it takes the next task. {@link NetNs#call} instead starts a
 * thread per handle, which is right for one namespace's burst of work (a connect) and costly for
 * a thousand namespaces once each (thread starts and ends: ~1 s of CPU for 2000 at start-up).
 *
 * <p>A thread that cannot go home ends (its task's outcome is already handed over): no later task
 * runs in a namespace it did not ask for. Tasks follow {@link NetNs#call}'s rules: short, and
 * they must not start threads. Idle threads end after {@value #IDLE_SECONDS} s.
 */
public final class NsVisitors implements AutoCloseable {
    static final long IDLE_SECONDS = 2;
    private static final String THREAD_SELF_NS = "/proc/thread-self/ns/net";

    private final int home;
    private final ThreadPoolExecutor pool;

    /** {@code threads} visitors at most; home is the calling thread's namespace. */
    public NsVisitors(int threads) {
        this.home = Libc.open(THREAD_SELF_NS, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        this.pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name("netns-visitor-", 0).daemon(true).factory());
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code task} inside {@code ns} on a visitor; the future completes with its result or
     * failure (a namespace that cannot be entered fails it without running it). {@code ns} must
     * stay open until then.
     */
    public <T> CompletableFuture<T> submit(NetNs ns, Callable<T> task) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        int target = ns.fd();
        String name = ns.name();
        pool.execute(() -> visit(target, name, task, outcome));
        return outcome;
    }

    private <T> void visit(int target, String name, Callable<T> task, CompletableFuture<T> outcome) {
        try {
            Libc.setns(target, Libc.CLONE_NEWNET);
        } catch (KernelException e) {
            outcome.completeExceptionally(e.during("enter netns " + name));
            return;
        }
        T value = null;
        Throwable failure = null;
        try {
            value = task.call();
        } catch (Throwable t) {
            failure = t;
        }
        // completed only once home: what the caller chains onto the future may run on this thread
        KernelException stuck = goHome();
        if (failure == null) {
            outcome.complete(value);
        } else {
            outcome.completeExceptionally(failure);
        }
        if (stuck != null) {
            throw new IllegalStateException("namespace visitor cannot leave " + name + ": it ends", stuck);
        }
    }

    /** Back to the home namespace; the failure if that is impossible (the thread must then end). */
    private KernelException goHome() {
        try {
            Libc.setns(home, Libc.CLONE_NEWNET);
            return null;
        } catch (KernelException e) {
            return e;
        }
    }

    /** Stops taking tasks, lets the queued ones run (a few seconds at most), then releases the home handle. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pool.isTerminated()) {
            Libc.close(home);
        } // else: a task still runs; its thread needs home to go back, and the process is ending anyway
    }
}
