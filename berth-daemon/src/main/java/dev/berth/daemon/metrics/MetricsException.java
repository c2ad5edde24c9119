package dev.berth.daemon.metrics;

/** The metrics endpoint cannot be served (its address is taken, or not one of this host's). */
public final class MetricsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MetricsException(String message, Throwable cause) {
        super(message, cause);
    }
}
