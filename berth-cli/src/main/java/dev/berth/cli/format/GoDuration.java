package dev.berth.cli.format;

import java.math.BigDecimal;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Go's {@code time.ParseDuration}: an optionally signed sequence of decimal numbers, each with an
 * optional fraction and a unit ({@code ns us µs ms s m h}), e.g. {@code 10m}, {@code -1.5h},
 * {@code 2h45m}. {@code 0} alone needs no unit.
 */
public final class GoDuration {

    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /** The duration in nanoseconds, or empty when {@code text} is not a Go duration. */
    public static OptionalLong parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return OptionalLong.of(0);
        }
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) && s.charAt(i) < 128 || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                return OptionalLong.empty();
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
                i++;
            }
            Long unit = UNITS.get(s.substring(unitStart, i));
            if (unit == null) {
                return OptionalLong.empty();
            }
            String digits = number.startsWith(".") ? "0" + number : number.endsWith(".") ? number + "0" : number;
            total = total.add(new BigDecimal(digits).multiply(BigDecimal.valueOf(unit)));
            if (total.compareTo(MAX) > 0) {
                return OptionalLong.empty();
            }
        }
        long nanos = total.longValue();
        return OptionalLong.of(negative ? -nanos : nanos);
    }
}
