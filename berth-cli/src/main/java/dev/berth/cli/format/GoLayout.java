package dev.berth.cli.format;

import java.util.List;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Go's {@code time.Parse} for the layouts the docker CLI uses to read {@code --since/--until}
 * (elements {@code 2006 01 02 15 04 05 .999999999 Z07:00} and literals), with Go's error texts:
 * {@code parsing time "x" as "2006-01-02": cannot parse "x" as "2006"}, {@code ... month out of
 * range}, {@code ... extra text: "..."}.
 */
public final class GoLayout {

    private static final List<String> ELEMENTS = List.of("2006", "01", "02", "15", "04", "05", ".999999999", "Z07:00");

    private final String layout;

    /** A layout made of the supported elements. */
    public GoLayout(String layout) {
        this.layout = layout;
    }

    /** Fields gathered while parsing. */
    private static final class Fields {
        private int year = 1;
        private int month = 1;
        private int day = 1;
        private int hour;
        private int minute;
        private int second;
        private int nanos;
        private ZoneOffset offset;
        private String value;
    }

    /**
     * Parses {@code value}; without a zone in the text, the time is in {@code local}.
     *
     * @throws IllegalArgumentException with Go's {@code ParseError} text
     */
    public Instant parse(String value, ZoneOffset local) {
        Fields f = new Fields();
        f.value = value;
        String rest = layout;
        while (true) {
            int at = nextElement(rest);
            String prefix = at < 0 ? rest : rest.substring(0, at);
            if (!f.value.startsWith(prefix)) {
                throw error(value, prefix, f.value, "");
            }
            f.value = f.value.substring(prefix.length());
            if (at < 0) {
                if (!f.value.isEmpty()) {
                    throw error(value, "", f.value, ": extra text: " + GoJson.quote(f.value, false));
                }
                break;
            }
            String element = elementAt(rest, at);
            rest = rest.substring(at + element.length());
            String hold = f.value;
            String range = element(element, f, rest);
            if (range == null) {
                throw error(value, element, hold, "");
            }
            if (!range.isEmpty()) {
                throw error(value, element, f.value, ": " + range + " out of range");
            }
        }
        try {
            return LocalDateTime.of(f.year, f.month, f.day, f.hour, f.minute, f.second, f.nanos)
                    .toInstant(f.offset != null ? f.offset : local);
        } catch (DateTimeException e) {
            throw error(value, "", f.value, ": day out of range");
        }
    }

    private static int nextElement(String layout) {
        for (int i = 0; i < layout.length(); i++) {
            if (elementAt(layout, i) != null) {
                return i;
            }
        }
        return -1;
    }

    private static String elementAt(String layout, int i) {
        for (String element : ELEMENTS) {
            if (layout.startsWith(element, i)) {
                return element;
            }
        }
        return null;
    }

    /** Consumes one element: {@code null} for a syntax error, a field name when out of range, else "". */
    private static String element(String element, Fields f, String layoutRest) {
        return switch (element) {
            case "2006" -> {
                if (f.value.length() < 4 || !digit(f.value, 0) || !digit(f.value, 1) || !digit(f.value, 2) || !digit(f.value, 3)) {
                    yield null;
                }
                f.year = Integer.parseInt(f.value.substring(0, 4));
                f.value = f.value.substring(4);
                yield "";
            }
            case "01" -> number(f, true, n -> f.month = n, n -> n < 1 || n > 12 ? "month" : "");
            case "02" -> number(f, true, n -> f.day = n, n -> "");
            case "15" -> number(f, false, n -> f.hour = n, n -> n >= 24 ? "hour" : "");
            case "04" -> number(f, true, n -> f.minute = n, n -> n >= 60 ? "minute" : "");
            case "05" -> seconds(f, layoutRest);
            case ".999999999" -> {
                if (f.value.length() >= 2 && (f.value.charAt(0) == '.' || f.value.charAt(0) == ',') && digit(f.value, 1)) {
                    fraction(f);
                }
                yield "";
            }
            default -> zone(f);
        };
    }

    private static String number(Fields f, boolean fixed, java.util.function.IntConsumer set,
            java.util.function.IntFunction<String> range) {
        if (!digit(f.value, 0) || fixed && !digit(f.value, 1)) {
            return null;
        }
        int length = digit(f.value, 1) ? 2 : 1;
        int n = Integer.parseInt(f.value.substring(0, length));
        f.value = f.value.substring(length);
        set.accept(n);
        return range.apply(n);
    }

    private static String seconds(Fields f, String layoutRest) {
        String result = number(f, true, n -> f.second = n, n -> n >= 60 ? "second" : "");
        if (result == null || !result.isEmpty()) {
            return result;
        }
        // Go accepts a fraction after the seconds even when the layout has none
        if (f.value.length() >= 2 && (f.value.charAt(0) == '.' || f.value.charAt(0) == ',') && digit(f.value, 1)
                && !layoutRest.startsWith(".999999999")) {
            fraction(f);
        }
        return "";
    }

    private static void fraction(Fields f) {
        int n = 1;
        while (digit(f.value, n)) {
            n++;
        }
        String digits = f.value.substring(1, Math.min(n, 10));
        f.nanos = Integer.parseInt((digits + "000000000").substring(0, 9));
        f.value = f.value.substring(n);
    }

    private static String zone(Fields f) {
        if (f.value.startsWith("Z")) {
            f.value = f.value.substring(1);
            f.offset = ZoneOffset.UTC;
            return "";
        }
        String v = f.value;
        if (v.length() < 6 || v.charAt(3) != ':' || !digit(v, 1) || !digit(v, 2) || !digit(v, 4) || !digit(v, 5)
                || v.charAt(0) != '+' && v.charAt(0) != '-') {
            return null;
        }
        int hours = Integer.parseInt(v.substring(1, 3));
        int minutes = Integer.parseInt(v.substring(4, 6));
        f.value = v.substring(6);
        if (hours > 24) {
            return "time zone offset hour";
        }
        if (minutes > 60) {
            return "time zone offset minute";
        }
        int seconds = (hours * 60 + minutes) * 60 * (v.charAt(0) == '-' ? -1 : 1);
        f.offset = ZoneOffset.ofTotalSeconds(Math.max(-64800, Math.min(64800, seconds)));
        return "";
    }

    private static boolean digit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private IllegalArgumentException error(String value, String layoutElement, String valueElement, String message) {
        String quoted = GoJson.quote(value, false);
        if (!message.isEmpty()) {
            return new IllegalArgumentException("parsing time " + quoted + message);
        }
        return new IllegalArgumentException("parsing time " + quoted + " as " + GoJson.quote(layout, false)
                + ": cannot parse " + GoJson.quote(valueElement, false) + " as " + GoJson.quote(layoutElement, false));
    }
}
