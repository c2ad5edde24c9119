package dev.berth.core.service.sandbox;

import dev.berth.core.errors.InvalidParameterException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signal names and numbers as moby's {@code signal.ParseSignal} reads them on Linux (x86_64): a
 * number ({@code 15}), or a name with or without {@code SIG}, in any case ({@code TERM},
 * {@code SIGTERM}, {@code sigusr1}, {@code RTMIN+3}). Anything else is a 400
 * {@code Invalid signal: X}.
 */
public final class Signals {
    /** SIGKILL. */
    public static final int KILL = 9;
    /** SIGTERM. */
    public static final int TERM = 15;
    private static final int RTMIN = 34;
    private static final int RTMAX = 64;
    private static final Map<String, Integer> NUMBERS = table();

    private Signals() {
    }

    private static Map<String, Integer> table() {
        Map<String, Integer> t = new TreeMap<>();
        Object[] pairs = {"ABRT", 6, "ALRM", 14, "BUS", 7, "CHLD", 17, "CLD", 17, "CONT", 18, "FPE", 8, "HUP", 1,
            "ILL", 4, "INT", 2, "IO", 29, "IOT", 6, "KILL", 9, "PIPE", 13, "POLL", 29, "PROF", 27, "PWR", 30,
            "QUIT", 3, "SEGV", 11, "STKFLT", 16, "STOP", 19, "SYS", 31, "TERM", 15, "TRAP", 5, "TSTP", 20,
            "TTIN", 21, "TTOU", 22, "URG", 23, "USR1", 10, "USR2", 12, "VTALRM", 26, "WINCH", 28, "XCPU", 24,
            "XFSZ", 25, "RTMIN", RTMIN, "RTMAX", RTMAX};
        for (int i = 0; i < pairs.length; i += 2) {
            t.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        for (int i = 1; i <= 15; i++) {
            t.put("RTMIN+" + i, RTMIN + i);
            t.put("RTMAX-" + i, RTMAX - i);
        }
        return Map.copyOf(t);
    }

    /** The signal's number; 400 {@code Invalid signal: X} for what moby refuses (also 0 and numbers past 64). */
    public static int parse(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (text.matches("-?[0-9]{1,9}")) {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= RTMAX) {
                return n;
            }
            throw invalid(raw);
        }
        String name = text.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer n = NUMBERS.get(name);
        if (n == null) {
            throw invalid(raw);
        }
        return n;
    }

    /** {@link #parse} for a value that may be empty: then {@code otherwise}. */
    public static int parseOr(String raw, int otherwise) {
        return raw == null || raw.isEmpty() ? otherwise : parse(raw);
    }

    private static InvalidParameterException invalid(String raw) {
        return new InvalidParameterException("Invalid signal: " + raw);
    }
}
