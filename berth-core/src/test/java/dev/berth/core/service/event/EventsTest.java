package dev.berth.core.service.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventsTest {
    private static Event network(String action, String id, String name, long time) {
        return new Event(Event.Type.NETWORK, Event.Action.valueOf(action.toUpperCase(java.util.Locale.ROOT)), id, Map.of("name", name, "type", "bridge"), time);
    }

    @Test
    void keepsTheLast256AndReplaysByTimeAndFilter() {
        EventLog log = new EventLog();
        for (int i = 1; i <= 300; i++) {
            log.publish(network(i % 2 == 0 ? "create" : "destroy", "id" + i, "n" + i, i));
        }
        List<Event> all = log.replay(0, Long.MAX_VALUE, e -> true);
        assertEquals(256, all.size());
        assertEquals(45, all.getFirst().timeNano());
        assertEquals(List.of(100L, 102L), log.replay(100, 102, new EventFilter(Map.of("event", Set.of("create"))))
                .stream().map(Event::timeNano).toList());
    }

    @Test
    void subscribersGetEveryLaterEventAndCloseLetsGo() throws Exception {
        EventLog log = new EventLog();
        log.publish(network("create", "a", "a", 1));
        List<Event> seen = new ArrayList<>();
        EventLog.Subscription subscription = log.subscribe(seen::add);
        assertEquals(1, subscription.backlog().size());
        assertEquals(1, log.subscribers());
        log.publish(network("destroy", "a", "a", 2));
        subscription.close();
        subscription.close();
        log.publish(network("create", "b", "b", 3));
        assertEquals(List.of(2L), seen.stream().map(Event::timeNano).toList());
        assertEquals(0, log.subscribers());
        log.subscribe(e -> {
            throw new IllegalStateException("gone");
        });
        log.publish(network("create", "c", "c", 4));
        assertEquals(0, log.subscribers());
    }

    @Test
    void filtersFollowMoby() {
        Event create = network("create", "c61cfafbe995abc", "mynet", 1);
        Event prune = new Event(Event.Type.NETWORK, Event.Action.PRUNE, "", Map.of("reclaimed", "0"), 2);
        assertTrue(matches(Map.of("type", Set.of("network")), create));
        assertFalse(matches(Map.of("type", Set.of("container")), create));
        assertTrue(matches(Map.of("network", Set.of("myn")), create));
        assertTrue(matches(Map.of("network", Set.of("c61c")), create));
        assertFalse(matches(Map.of("network", Set.of("other")), create));
        assertTrue(matches(Map.of("container", Set.of("x")), create));
        assertTrue(matches(Map.of("event", Set.of("create", "destroy")), create));
        assertFalse(matches(Map.of("event", Set.of("destroy")), create));
        assertTrue(matches(Map.of("scope", Set.of("local")), create));
        assertFalse(matches(Map.of("scope", Set.of("swarm")), create));
        assertTrue(matches(Map.of("label", Set.of("type=bridge")), create));
        assertFalse(matches(Map.of("label", Set.of("type=bridge")), prune));
        assertTrue(matches(Map.of("whatever", Set.of("x")), prune));
    }

    @Test
    void filterTimesReadLikeDocker() {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        assertEquals(Instant.parse("2026-11-28T11:50:00Z"), parse("10m", now));
        assertEquals(Instant.parse("2026-11-28T10:29:30Z"), parse("1h30m30s", now));
        assertEquals(Instant.parse("2026-11-28T11:59:59.500Z"), parse("0.5s", now));
        assertEquals(Instant.ofEpochSecond(1795827003), parse("1795827003", now));
        assertEquals(Instant.ofEpochSecond(1795827003, 120_000_000), parse("1795827003.12", now));
        assertEquals(Instant.EPOCH, parse("0", now));
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), parse("2026-11-27T12:00:00+02:00", now));
        assertEquals(Instant.parse("2026-11-27T10:00:00.5Z"), parse("2026-11-27T10:00:00.5Z", now));
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), parse("2026-11-27T10:00:00", now));
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), parse("2026-11-27T10:00", now));
        assertEquals(Instant.parse("2026-11-27T00:00:00Z"), parse("2026-11-27", now));
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> parse("soon", now));
        assertEquals("failed to parse value as time or duration: \"soon\"", e.getMessage());
        // found by the API fuzzer: seconds past a long, or past Instant's range, were a 500
        for (String huge : new String[] {"99999999999999999999", "9223372036854775807", "31556889864403200.5"}) {
            InvalidParameterException big = assertThrows(InvalidParameterException.class, () -> parse(huge, now));
            assertEquals("failed to parse value as time or duration: \"" + huge + "\"", big.getMessage());
        }
    }

    private static Instant parse(String value, Instant now) {
        return FilterTime.parse(value, now, ZoneOffset.UTC);
    }

    private static boolean matches(Map<String, Set<String>> criteria, Event event) {
        return new EventFilter(criteria).test(event);
    }
}
