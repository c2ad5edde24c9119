package dev.berth.core.service.event;

import java.util.Map;
import java.util.Objects;

/**
 * Something that happened, as {@code GET /events} reports it.
 *
 * @param type       {@code network}, later {@code container} and others
 * @param action     {@code create}, {@code destroy}, {@code prune}, {@code connect}, ...
 * @param actorId    the object's id ({@code ""} for {@code prune})
 * @param attributes e.g. {@code name} and {@code type} (the driver) for network events
 * @param timeNano   when, in nanoseconds since the epoch
 */
public record Event(String type, String action, String actorId, Map<String, String> attributes, long timeNano) {
    public static final String TYPE_NETWORK = "network";
    public static final String TYPE_CONTAINER = "container";

    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actorId, "actorId");
        attributes = Map.copyOf(attributes);
    }
}
