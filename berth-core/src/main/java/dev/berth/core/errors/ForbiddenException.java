package dev.berth.core.errors;

/** The request is understood but not allowed, e.g. on a predefined network (403). */
public final class ForbiddenException extends BerthException {
    public ForbiddenException(String message) {
        super(message);
    }

    public ForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }
}
