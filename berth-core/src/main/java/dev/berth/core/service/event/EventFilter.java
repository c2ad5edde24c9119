package dev.berth.core.service.event;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code GET /events} filters, moby's way: values of a key are OR-ed, keys AND-ed.
 * {@code type} and {@code event} match exactly (a few exec/health actions by prefix),
 * {@code scope} against {@code local}, {@code label} (all values) against the attributes; keys
 * naming an object type ({@code network}, {@code container}, ...) constrain only events of that
 * type, by prefix of the actor id or of its {@code name} attribute. Unknown keys are ignored.
 */
public record EventFilter(Map<String, Set<String>> criteria) implements Predicate<Event> {
    private static final Set<String> PREFIX_ACTIONS = Set.of("health_status", "exec_create", "exec_start");
    private static final Set<String> OBJECT_KEYS = Set.of("network", "container", "image", "volume", "daemon",
            "plugin", "node", "service", "secret", "config");

    public EventFilter {
        criteria = Map.copyOf(criteria);
    }

    public static EventFilter none() {
        return new EventFilter(Map.of());
    }

    @Override
    public boolean test(Event event) {
        Criteria c = new Criteria(criteria);
        String action = event.action().wire();
        return c.any("type", v -> v.equals(event.type().wire()))
                && c.any("event", v -> v.equals(action) || PREFIX_ACTIONS.contains(v) && action.startsWith(v))
                && c.any("scope", v -> v.equals("local"))
                && c.all("label", v -> Criteria.labelMatches(event.attributes(), v))
                && ownType(event);
    }

    private boolean ownType(Event event) {
        String type = event.type().wire();
        if (!OBJECT_KEYS.contains(type)) {
            return true;
        }
        String name = event.attributes().getOrDefault("name", "");
        return new Criteria(criteria).any(type, v -> event.actorId().startsWith(v) || name.startsWith(v));
    }
}
