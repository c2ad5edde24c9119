package dev.berth.cli.format;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Go {@code time.Time} as decoded from JSON: local wall time, UTC offset and zone name (empty
 * for a fabricated fixed zone). Go names the zone {@code UTC} for {@code Z}, the local zone's
 * abbreviation when the offset matches the local zone at that instant, and nothing otherwise,
 * which is why {@code String()} prints {@code +0200 +0200} for a foreign offset.
 *
 * @param wall   the wall-clock time in the zone
 * @param offset the offset from UTC
 * @param zone   the zone name, empty if none is known
 */
public record GoTime(LocalDateTime wall, ZoneOffset offset, String zone) {

    /** Go's zero time, what a JSON {@code null} or missing field decodes to. */
    public static final GoTime ZERO = new GoTime(LocalDateTime.of(1, 1, 1, 0, 0), ZoneOffset.UTC, "UTC");

    private static final Pattern RFC3339 = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?(Z|[+-]\\d{2}:\\d{2})");

    /** Parses like {@code time.Parse(time.RFC3339, s)} in the local zone {@code local}. */
    public static GoTime parse(String s, ZoneId local) {
        return parse(s, () -> local);
    }

    /**
     * As {@link #parse(String, ZoneId)}, asking for the local zone only for a time with an offset
     * (finding the system's zone loads the tz database; a {@code Z} time does not need it).
     */
    public static GoTime parse(String s, Supplier<ZoneId> local) {
        Matcher m = RFC3339.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "parsing time " + GoJson.quote(s, false) + " as \"2006-01-02T15:04:05Z07:00\": cannot parse "
                            + GoJson.quote(s, false) + " as \"2006\"");
        }
        try {
            String fraction = m.group(7) == null ? "" : m.group(7);
            int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
            LocalDateTime wall = LocalDateTime.of(num(m, 1), num(m, 2), num(m, 3), num(m, 4), num(m, 5), num(m, 6), nanos);
            if (m.group(8).equals("Z")) {
                return new GoTime(wall, ZoneOffset.UTC, "UTC");
            }
            ZoneOffset offset = ZoneOffset.of(m.group(8));
            Instant instant = wall.toInstant(offset);
            ZoneId zone = local.get();
            if (zone.getRules().getOffset(instant).equals(offset)) {
                String name = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(instant.atZone(zone));
                return new GoTime(wall, offset, name);
            }
            return new GoTime(wall, offset, "");
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("parsing time " + GoJson.quote(s, false) + ": " + e.getMessage(), e);
        }
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** {@code t.String()}: {@code 2006-01-02 15:04:05.999999999 -0700 MST}. */
    public String goString() {
        StringBuilder out = new StringBuilder(40);
        appendWall(out, ' ');
        appendFraction(out);
        out.append(' ').append(numericOffset(""));
        out.append(' ').append(zone.isEmpty() ? numericOffset("") : zone);
        return out.toString();
    }

    /** {@code t.Format(time.RFC3339Nano)}, what {@code MarshalJSON} writes. */
    public String rfc3339Nano() {
        StringBuilder out = new StringBuilder(36);
        appendWall(out, 'T');
        appendFraction(out);
        out.append(offset.getTotalSeconds() == 0 ? "Z" : numericOffset(":"));
        return out.toString();
    }

    /** {@code t.Format(time.ANSIC)}: {@code Mon Jan _2 15:04:05 2006}. */
    public String ansic() {
        return Ansic.FORMAT.format(wall);
    }

    /** Made on first use: a {@code DateTimeFormatter} with English names costs a CLI call milliseconds of locale set-up. */
    private static final class Ansic {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);
    }

    /** {@code 2006-01-02} + {@code separator} + {@code 15:04:05}. */
    private void appendWall(StringBuilder out, char separator) {
        pad(out, wall.getYear(), 4).append('-');
        pad(out, wall.getMonthValue(), 2).append('-');
        pad(out, wall.getDayOfMonth(), 2).append(separator);
        pad(out, wall.getHour(), 2).append(':');
        pad(out, wall.getMinute(), 2).append(':');
        pad(out, wall.getSecond(), 2);
    }

    /**
     * {@code value} in decimal, zero-padded to {@code width} characters with the sign counted, as
     * {@code String.format("%0<width>d")} prints it; without the {@code Formatter}, whose first
     * use loads the locale's number symbols (~10 ms of an interpreted CLI call).
     */
    static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(Math.abs(value));
        int zeros = width - digits.length();
        if (value < 0) {
            out.append('-');
            zeros--;
        }
        out.repeat('0', Math.max(0, zeros));
        return out.append(digits);
    }

    private void appendFraction(StringBuilder out) {
        int nanos = wall.getNano();
        if (nanos != 0) {
            String digits = pad(new StringBuilder(9), nanos, 9).toString();
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 0, end);
        }
    }

    private String numericOffset(String separator) {
        int minutes = offset.getTotalSeconds() / 60;
        char sign = minutes < 0 ? '-' : '+';
        minutes = Math.abs(minutes);
        StringBuilder out = new StringBuilder(6).append(sign);
        pad(out, minutes / 60, 2).append(separator);
        return pad(out, minutes % 60, 2).toString();
    }
}
