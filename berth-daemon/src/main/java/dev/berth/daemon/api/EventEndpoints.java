package dev.berth.daemon.api;

import dev.berth.api.types.EventMessage;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.service.event.Event;
import dev.berth.core.service.event.EventFilter;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.event.FilterTime;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /events}: replays buffered events when {@code since} or {@code until} is given, then
 * streams live ones until {@code until} passes or the client goes away. One JSON object and a
 * newline per event, each flushed on its own.
 */
final class EventEndpoints {
    /** How often a quiet stream wakes up to check {@code until} and the connection. */
    private static final long POLL_MILLIS = 200;

    private final EventLog events;
    private final Filters filters;
    private final JsonCodec json;
    private final Clock clock;

    EventEndpoints(EventLog events, Filters filters, JsonCodec json, Clock clock) {
        this.events = events;
        this.filters = filters;
        this.json = json;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.add("GET", "/events", this::events);
    }

    /** The time window asked for, in nanoseconds; absent bounds are open. */
    private record Window(boolean replay, long since, long until) {
    }

    private Reply events(ApiRequest request) {
        Instant now = clock.instant();
        Optional<String> sinceText = request.query("since").filter(s -> !s.isBlank());
        Optional<String> untilText = request.query("until").filter(s -> !s.isBlank());
        long since = sinceText.map(s -> FilterTime.toNanos(FilterTime.parse(s, now, clock.getZone()))).orElse(0L);
        long until = untilText.map(s -> FilterTime.toNanos(FilterTime.parse(s, now, clock.getZone())))
                .orElse(Long.MAX_VALUE);
        if (sinceText.isPresent() && untilText.isPresent() && until < since) {
            throw new InvalidParameterException("`since` time (" + sinceText.get() + ") cannot be after `until` time ("
                    + untilText.get() + ")");
        }
        EventFilter filter = new EventFilter(filters.parse(request.query("filters").orElse(null)));
        Window window = new Window(sinceText.isPresent() || untilText.isPresent(), since, until);
        return new Reply.Stream(200, Dispatcher.JSON, sink -> stream(sink, window, filter));
    }

    private void stream(Reply.StreamSink sink, Window window, EventFilter filter)
            throws IOException, InterruptedException {
        BlockingQueue<Event> live = new LinkedBlockingQueue<>();
        try (EventLog.Subscription subscription = events.subscribe(live::add)) {
            if (window.replay()) {
                for (Event event : subscription.backlog()) {
                    if (event.timeNano() >= window.since() && event.timeNano() <= window.until() && filter.test(event)) {
                        sink.send(encode(event));
                    }
                }
            }
            while (!sink.failed() && FilterTime.toNanos(clock.instant()) <= window.until()) {
                Event event = live.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (event != null && event.timeNano() <= window.until() && filter.test(event)) {
                    sink.send(encode(event));
                }
            }
        }
    }

    private byte[] encode(Event event) {
        long nanos = event.timeNano();
        return json.encode(new EventMessage(event.type().wire(), event.action().wire(),
                new EventMessage.Actor(event.actorId(), event.attributes()), "local",
                Math.floorDiv(nanos, 1_000_000_000L), nanos));
    }
}
