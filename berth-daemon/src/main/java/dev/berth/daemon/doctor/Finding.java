package dev.berth.daemon.doctor;

import java.util.List;
import java.util.Objects;

/**
 * One thing a {@link Check} found.
 *
 * @param id       stable, for scripts: {@code ipv6-accept-ra}, {@code forwarding-ipv4}, ...
 * @param severity how much it matters
 * @param subject  what it is about (an interface, a network's name), or {@code ""}
 * @param found    what was found, with the values read
 * @param why      why it matters; {@code ""} for {@link Severity#OK}
 * @param fix      the commands a user would type, in order; lines starting with {@code #} explain
 *                 (valid shell, so the whole list can be pasted); empty when there is nothing to do
 */
public record Finding(String id, Severity severity, String subject, String found, String why, List<String> fix) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(found, "found");
        Objects.requireNonNull(why, "why");
        fix = List.copyOf(fix);
    }

    /** A check that passed. */
    public static Finding ok(String id, String subject, String found) {
        return new Finding(id, Severity.OK, subject, found, "", List.of());
    }
}
