package dev.berth.daemon.host;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands back the heap that a burst of requests left behind, which the serial GC alone does not.
 *
 * <p>berthd runs the serial GC with an 8 MiB initial heap ({@code scripts/jvm-flags.sh}); its young
 * generation keeps the size that heap gives it (~2.7 MB). Under sustained requests, what is still
 * held at a young collection (at 1000 sandboxes: a network's name table and its JSON) overflows the
 * survivor spaces into the old generation, and the old generation then grows instead of being
 * collected: 137 MB of heap after ~5000 connects at 1000 sandboxes, 21 MB of it live, and nothing
 * in the serial GC would have collected it before the heap's limit (a quarter of the RAM). G1 has
 * a periodic collection for this ({@code G1PeriodicGCInterval}); the serial GC has none, so this is
 * one: every {@code period} it compares the heap in use with what was in use after its last
 * collection ({@code live}), and asks for a full collection once the heap holds more than twice
 * that and more than {@code live + slack}. With the launcher's {@code -XX:-ShrinkHeapInSteps
 * -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30} that collection also gives the memory back.
 *
 * <p>The check runs on a thread of its own, first one period after start-up; a collection is a
 * stop-the-world pause of a few tens of milliseconds at most at these heap sizes, and only comes
 * after the heap has grown by {@code slack}.
 */
public final class HeapKeeper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HeapKeeper.class.getName());
    private final LongSupplier used;
    private final Runnable collect;
    private final long slack;
    private final ScheduledExecutorService timer;
    /** Heap in use right after the last collection this asked for; 0 before the first. */
    private long live;

    HeapKeeper(LongSupplier used, Runnable collect, long slack, ScheduledExecutorService timer) {
        this.used = used;
        this.collect = collect;
        this.slack = slack;
        this.timer = timer;
    }

    /** Starts checking the JVM's heap every {@code period}; {@code slack}: bytes of growth allowed. */
    public static HeapKeeper start(Duration period, long slack) {
        Runtime runtime = Runtime.getRuntime();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("berth-heap").daemon(true).factory());
        HeapKeeper keeper = new HeapKeeper(() -> runtime.totalMemory() - runtime.freeMemory(), System::gc, slack, timer);
        timer.scheduleWithFixedDelay(keeper::checkLogged, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return keeper;
    }

    /** One check: collects when the heap in use is past both bounds; true when it did. */
    synchronized boolean check() {
        long now = used.getAsLong();
        if (now <= Math.max(2 * live, live + slack)) {
            return false;
        }
        collect.run();
        live = used.getAsLong();
        return true;
    }

    /** The heap in use after the last collection this asked for. */
    synchronized long live() {
        return live;
    }

    private void checkLogged() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heap check failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
