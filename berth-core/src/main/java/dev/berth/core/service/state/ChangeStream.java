package dev.berth.core.service.state;

import dev.berth.core.service.event.Change;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one path every {@link Change} takes to its subscribers. Two kinds of subscriber, chosen by
 * what they may do, so the lock order is decided here and not by each subscriber:
 * <ul>
 *   <li>{@link #onChange}: called at once, on the changing thread: for changes of networks,
 *       sandboxes and endpoints while the write lock of {@link ServiceState} is held, so in the order
 *       of the changes and before the change's caller returns (a client that sees its request
 *       answered sees the subscriber's state too: the event log, the DNS name table). A process's
 *       start and exit are reported from outside the lock, possibly on another thread. Must not
 *       block, do slow I/O or take another lock that a writer may hold.</li>
 *   <li>{@link #afterChange}: called on the changing thread once the write lock is released (at
 *       once for a change made outside it), before the change's caller returns. May take its own
 *       locks and do I/O (a running process's {@code hosts} and {@code resolv.conf}); sees the
 *       state as it is by then, so it should read the current state rather than trust the order.</li>
 * </ul>
 * A subscriber that throws is logged and kept; the change stands.
 */
public final class ChangeStream {
    private static final System.Logger LOG = System.getLogger(ChangeStream.class.getName());

    private final List<Consumer<Change>> inline = new CopyOnWriteArrayList<>();
    private final List<Consumer<Change>> deferred = new CopyOnWriteArrayList<>();

    /** A registration; closing it stops delivery (safe to call more than once). */
    public record Subscription(Runnable cancel) implements AutoCloseable {
        @Override
        public void close() {
            cancel.run();
        }
    }

    /** Subscribes under the write lock: see the class comment. */
    public Subscription onChange(Consumer<Change> subscriber) {
        return add(inline, subscriber);
    }

    /** Subscribes after the write lock: see the class comment. */
    public Subscription afterChange(Consumer<Change> subscriber) {
        return add(deferred, subscriber);
    }

    private static Subscription add(List<Consumer<Change>> to, Consumer<Change> subscriber) {
        // A wrapper per registration, so the same consumer registered twice is removed once per close.
        Consumer<Change> registration = subscriber::accept;
        to.add(registration);
        return new Subscription(() -> to.remove(registration));
    }

    void deliverInline(Change change) {
        deliver(inline, change);
    }

    void deliverDeferred(Change change) {
        deliver(deferred, change);
    }

    private static void deliver(List<Consumer<Change>> to, Change change) {
        for (Consumer<Change> subscriber : to) {
            try {
                subscriber.accept(change);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "subscriber of " + change.getClass().getSimpleName() + " failed: "
                        + e.getMessage(), e);
            }
        }
    }
}
