package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * docker's default event line: {@code <time> <Type> <Action> <Actor.ID> (<k=v, ...>)}. The time is
 * {@code timeNano} (else {@code time}) in the local zone as RFC 3339 with exactly nine fraction
 * digits ({@code Z} for a zero offset); the attribute list is sorted by key and left out when
 * empty; an empty actor ID leaves two spaces.
 */
final class EventLine {

    private EventLine() {
    }

    static String render(JsonNode event, ZoneId zone) {
        StringBuilder out = new StringBuilder(160);
        long nanos = event.path("timeNano").asLong(0);
        long seconds = event.path("time").asLong(0);
        if (nanos != 0) {
            out.append(time(Instant.ofEpochSecond(0, nanos), zone)).append(' ');
        } else if (seconds != 0) {
            out.append(time(Instant.ofEpochSecond(seconds), zone)).append(' ');
        }
        out.append(event.path("Type").asText("")).append(' ').append(event.path("Action").asText(""))
                .append(' ').append(event.path("Actor").path("ID").asText(""));
        JsonNode attributes = event.path("Actor").path("Attributes");
        if (attributes.isObject() && !attributes.isEmpty()) {
            TreeMap<String, String> sorted = new TreeMap<>();
            attributes.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText("")));
            StringJoiner list = new StringJoiner(", ", " (", ")");
            sorted.forEach((k, v) -> list.add(k + "=" + v));
            out.append(list);
        }
        return out.append('\n').toString();
    }

    /** Go's {@code RFC3339NanoFixed}: {@code 2006-01-02T15:04:05.000000000Z07:00}. */
    static String time(Instant instant, ZoneId zone) {
        ZonedDateTime t = instant.atZone(zone);
        int offset = t.getOffset().getTotalSeconds();
        String zoneText = offset == 0 ? "Z" : String.format(Locale.ROOT, "%c%02d:%02d",
                offset < 0 ? '-' : '+', Math.abs(offset) / 3600, Math.abs(offset) / 60 % 60);
        return String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d.%09d%s", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano(), zoneText);
    }
}
