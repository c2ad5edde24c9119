package dev.berth.core.service.event;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened, as {@code GET /events} reports it.
 *
 * @param type       the kind of object ({@code network}, {@code container}, {@code daemon})
 * @param action     what happened to it ({@code create}, {@code destroy}, {@code prune}, {@code connect}, ...)
 * @param actorId    the object's id ({@code ""} for {@code prune})
 * @param attributes e.g. {@code name} and {@code type} (the driver) for network events
 * @param timeNano   when, in nanoseconds since the epoch
 */
public record Event(Type type, Action action, String actorId, Map<String, String> attributes, long timeNano) {
    /** The object types Berth reports; {@link #wire()} is the {@code Type} of the Engine API. */
    public enum Type {
        NETWORK, CONTAINER, DAEMON;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The actions Berth reports; {@link #wire()} is the {@code Action} of the Engine API. */
    public enum Action {
        CREATE, DESTROY, PRUNE, CONNECT, DISCONNECT, RECONCILE, START, DIE, RELOAD, RENAME;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actorId, "actorId");
        attributes = Map.copyOf(attributes);
    }
}
