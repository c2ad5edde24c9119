package dev.berth.core.errors;

/** Anything unexpected, including kernel failures (500). */
public final class InternalException extends BerthException {
    public InternalException(String message) {
        super(message);
    }

    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }
}
