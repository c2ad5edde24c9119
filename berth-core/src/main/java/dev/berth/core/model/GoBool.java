package dev.berth.core.model;

import java.util.Optional;
import java.util.Set;

/**
 * Go's {@code strconv.ParseBool}, which Docker uses for every boolean it reads from text (driver
 * options, labels): {@code 1 t T TRUE true True} and {@code 0 f F FALSE false False}, nothing else.
 * The one copy in the daemon's code (the CLI, which sees only {@code berth-api}, has its own for flags).
 */
public final class GoBool {
    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    private GoBool() {
    }

    /** The value, or empty when the text is not a Go boolean. */
    public static Optional<Boolean> parse(String text) {
        if (TRUE.contains(text)) {
            return Optional.of(true);
        }
        return FALSE.contains(text) ? Optional.of(false) : Optional.empty();
    }
}
