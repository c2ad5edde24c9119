package dev.berth.cli.format;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The docker client's {@code timetypes.GetTimestamp}, which turns {@code --since/--until} into
 * what the daemon expects: a Go duration ({@code 10m}) becomes now minus it in unix seconds; an
 * RFC 3339 date or date-time ({@code 2026-01-02}, {@code 2026-01-02T03:04}, with or without
 * zone; local zone when absent) becomes {@code seconds.nanoseconds} ({@code %d.%09d}); a unix
 * timestamp ({@code 1700000000}, {@code 1700000000.5}) passes through unchanged.
 */
public final class GoTimestamp {

    private GoTimestamp() {
    }

    /**
     * Converts {@code value} relative to {@code now} in the local zone {@code zone}.
     *
     * @throws IllegalArgumentException with docker's message when it is none of the above
     */
    public static String convert(String value, Instant now, ZoneId zone) {
        OptionalLong duration = GoDuration.parse(value);
        if (!value.equals("0") && duration.isPresent()) {
            return Long.toString(now.minusNanos(duration.getAsLong()).getEpochSecond());
        }
        boolean local = value.chars().noneMatch(c -> c == 'z' || c == 'Z' || c == '+') && value.chars().filter(c -> c == '-').count() != 3;
        try {
            Instant t = new GoLayout(layout(value, local)).parse(value, zone.getRules().getOffset(now));
            return String.format(Locale.ROOT, "%d.%09d", t.getEpochSecond(), t.getNano());
        } catch (IllegalArgumentException e) {
            if (value.contains("-")) {
                throw e;
            }
            if (!isUnixTimestamp(value)) {
                throw new IllegalArgumentException("failed to parse value as time or duration: " + GoJson.quote(value, false), e);
            }
            return value;
        }
    }

    private static String layout(String value, boolean local) {
        if (value.contains(".")) {
            return local ? "2006-01-02T15:04:05.999999999" : "2006-01-02T15:04:05.999999999Z07:00";
        }
        if (value.contains("T")) {
            long colons = value.chars().filter(c -> c == ':').count();
            if (!local && value.chars().noneMatch(c -> c == 'z' || c == 'Z') && colons > 0) {
                colons--;
            }
            String zone = local ? "" : "Z07:00";
            return colons == 0 ? "2006-01-02T15" + zone : colons == 1 ? "2006-01-02T15:04" + zone : "2006-01-02T15:04:05" + zone;
        }
        return local ? "2006-01-02" : "2006-01-02Z07:00";
    }

    /** {@code parseTimestamp}: {@code seconds[.nanos]}, each a Go {@code ParseInt}. */
    private static boolean isUnixTimestamp(String value) {
        int dot = value.indexOf('.');
        return isInt(dot < 0 ? value : value.substring(0, dot)) && (dot < 0 || isInt(value.substring(dot + 1)));
    }

    private static boolean isInt(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
