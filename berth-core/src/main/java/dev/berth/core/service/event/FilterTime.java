package dev.berth.core.service.event;

import dev.berth.core.errors.InvalidParameterException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time values of filters and of {@code since}/{@code until}, read as Docker's
 * {@code GetTimestamp} does: a Go duration ({@code 10m}, {@code 1h30m}) counts back from now;
 * a unix time ({@code 1795827003} or {@code 1795827003.123456789}) is taken as is; an RFC 3339
 * date or date-time with a zone is absolute, one without a zone is in the daemon's zone.
 */
public final class FilterTime {
    private static final Pattern UNIX = Pattern.compile("([0-9]+)(?:\\.([0-9]{1,9}))?");
    private static final Pattern DURATION = Pattern.compile("[-+]?(?:[0-9]*\\.?[0-9]*(?:ns|us|µs|ms|s|m|h))+");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]*\\.?[0-9]*)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> UNIT_NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
    private static final DateTimeFormatter HOUR_ONLY = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH");

    private FilterTime() {
    }

    /** The instant {@code value} names, relative to {@code now} where it is a duration. */
    public static Instant parse(String value, Instant now, ZoneId zone) {
        String text = value == null ? "" : value.strip();
        if (!text.equals("0") && DURATION.matcher(text).matches() && !text.matches("[-+]?")) {
            return now.minusNanos(durationNanos(text));
        }
        try {
            Matcher unix = UNIX.matcher(text);
            if (unix.matches()) {
                String fraction = unix.group(2) == null ? "0" : (unix.group(2) + "00000000").substring(0, 9);
                return Instant.ofEpochSecond(Long.parseLong(unix.group(1)), Long.parseLong(fraction));
            }
            return absolute(text, zone);
        } catch (DateTimeException | NumberFormatException e) {
            // seconds past a long (Go's ParseInt fails too) or past Instant's range
            throw new InvalidParameterException("failed to parse value as time or duration: \"" + value + "\"");
        }
    }

    /** Nanoseconds since the epoch, saturating instead of overflowing. */
    public static long toNanos(Instant instant) {
        BigInteger nanos = BigInteger.valueOf(instant.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(instant.getNano()));
        if (nanos.bitLength() >= 64) {
            return nanos.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return nanos.longValue();
    }

    private static Instant absolute(String text, ZoneId zone) {
        boolean zoned = text.matches(".*([zZ]|[+-][0-9]{2}:?[0-9]{2})$") && text.contains("T");
        if (zoned) {
            return OffsetDateTime.parse(text.replace('z', 'Z')).toInstant();
        }
        if (text.contains("T")) {
            if (text.indexOf(':') < 0) {
                return LocalDateTime.parse(text, HOUR_ONLY).atZone(zone).toInstant();
            }
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        }
        return LocalDate.parse(text).atStartOfDay(zone).toInstant();
    }

    private static long durationNanos(String text) {
        boolean negative = text.startsWith("-");
        Matcher part = DURATION_PART.matcher(text.replaceFirst("^[-+]", ""));
        BigDecimal total = BigDecimal.ZERO;
        while (part.find()) {
            if (part.group(1).isEmpty() || part.group(1).equals(".")) {
                throw new InvalidParameterException("failed to parse value as time or duration: \"" + text + "\"");
            }
            total = total.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(UNIT_NANOS.get(part.group(2)))));
        }
        long nanos = total.longValue();
        return negative ? -nanos : nanos;
    }
}
