package dev.berth.core.errors;

/** A resource the request needs is not available now (503). */
public final class UnavailableException extends BerthException {
    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
