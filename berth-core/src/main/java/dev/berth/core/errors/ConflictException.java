package dev.berth.core.errors;

/** The request clashes with existing state, e.g. a duplicate name (409). */
public final class ConflictException extends BerthException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
