package dev.berth.core.errors;

/** The request is malformed or names an invalid value (400). */
public final class InvalidParameterException extends BerthException {
    public InvalidParameterException(String message) {
        super(message);
    }

    public InvalidParameterException(String message, Throwable cause) {
        super(message, cause);
    }
}
