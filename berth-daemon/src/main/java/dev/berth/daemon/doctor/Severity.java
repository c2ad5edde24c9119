package dev.berth.daemon.doctor;

import java.util.Locale;

/**
 * How much a {@link Finding} matters, most serious first (the report's order). Only {@link #ERROR}
 * makes {@code berth doctor} exit with status 1.
 */
public enum Severity {
    /** Something Berth needs is broken or off: sandboxes lose traffic now. */
    ERROR,
    /** Likely wrong, or wrong unless something this host cannot see (the upstream's routes) makes it right. */
    WARNING,
    /** Worth knowing; nothing is broken. */
    INFO,
    /** Checked and as it should be. */
    OK;

    /** The lower-case name the API and the CLI show: {@code error}, {@code warning}, {@code info}, {@code ok}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
