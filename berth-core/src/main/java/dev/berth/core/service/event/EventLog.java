package dev.berth.core.service.event;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The daemon's event stream: keeps the last {@value #CAPACITY} events for replay and hands every
 * new one to the current subscribers. Thread-safe; one instance per daemon.
 *
 * <p>Listeners run on the publishing thread while the log's lock is held, so that a
 * subscription's backlog and its live events never overlap or leave a gap: they must not block
 * (put the event in a queue and return).
 */
public final class EventLog {
    public static final int CAPACITY = 256;

    private final Object lock = new Object();
    private final Deque<Event> recent = new ArrayDeque<>();
    private final List<Listener> listeners = new ArrayList<>();

    /** One registration; its identity (not the consumer's) is what closing removes. */
    private record Listener(Consumer<Event> consumer) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /**
     * A live subscription.
     *
     * @param backlog the buffered events at the moment of subscribing, oldest first; every later
     *                event goes to the listener
     */
    public record Subscription(List<Event> backlog, Runnable cancel) implements AutoCloseable {
        /** Stops delivery; safe to call more than once. */
        @Override
        public void close() {
            cancel.run();
        }
    }

    public void publish(Event event) {
        synchronized (lock) {
            recent.addLast(event);
            while (recent.size() > CAPACITY) {
                recent.removeFirst();
            }
            for (Listener listener : List.copyOf(listeners)) {
                try {
                    listener.consumer().accept(event);
                } catch (RuntimeException e) {
                    // A listener that fails is dropped; the publisher and the others go on.
                    listeners.remove(listener);
                }
            }
        }
    }

    /** Buffered events with {@code since <= timeNano <= until} that pass the filter, oldest first. */
    public List<Event> replay(long sinceNano, long untilNano, Predicate<Event> filter) {
        synchronized (lock) {
            return recent.stream()
                    .filter(e -> e.timeNano() >= sinceNano && e.timeNano() <= untilNano)
                    .filter(filter)
                    .toList();
        }
    }

    /** Registers a listener for every event published from now on; see {@link Subscription}. */
    public Subscription subscribe(Consumer<Event> consumer) {
        Listener listener = new Listener(consumer);
        synchronized (lock) {
            listeners.add(listener);
            return new Subscription(List.copyOf(recent), () -> {
                synchronized (lock) {
                    listeners.remove(listener);
                }
            });
        }
    }

    /** How many subscriptions are open (tests check that closed streams let go). */
    public int subscribers() {
        synchronized (lock) {
            return listeners.size();
        }
    }
}
