package dev.berth.daemon.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.time.Duration;

/**
 * A selector and the one platform thread that works it: the shape of both the {@link DnsServer}
 * and the {@link Forwarder}. The thread runs the owner's {@link Turn} (a select with the owner's
 * handler and timeout, then the owner's queued work) until {@link #close}; a failed turn is
 * logged and the next one follows, since one bad packet or client must never stop the loop. The
 * thread is a platform thread created with the owner, so it stays in the namespace of the thread
 * that made the owner.
 */
final class SelectorThread {
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(2);

    /** One pass of the loop, on the selector thread. */
    @FunctionalInterface
    interface Turn {
        void run(Selector selector) throws IOException;
    }

    private final System.Logger log;
    private final String what;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean open = true;

    /**
     * @param log        the owner's: a failed turn is logged there
     * @param what       the owner in log and error messages ({@code "DNS server"})
     * @param threadName the selector thread's name
     */
    SelectorThread(System.Logger log, String what, String threadName, Turn turn) {
        this.log = log;
        this.what = what;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("open " + what + " selector", e);
        }
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(() -> loop(turn));
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    /** Makes a select in progress return at once: new work is queued. */
    void wakeup() {
        selector.wakeup();
    }

    /** Until {@link #close}. */
    boolean isOpen() {
        return open;
    }

    private void loop(Turn turn) {
        while (open) {
            try {
                turn.run(selector);
            } catch (IOException | RuntimeException e) {
                log.log(System.Logger.Level.WARNING, what + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Stops the loop (waiting 2 s at most for the turn in progress),
     * then runs {@code cleanup} (the owner closes its channels) and closes the selector.
     */
    void close(Runnable cleanup) {
        open = false;
        selector.wakeup();
        try {
            thread.join(JOIN_LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cleanup.run();
        try {
            selector.close();
        } catch (IOException ignored) {
            // shutting down
        }
    }
}
