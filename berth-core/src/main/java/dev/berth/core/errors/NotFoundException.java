package dev.berth.core.errors;

/** An object named in the request does not exist (404). */
public final class NotFoundException extends BerthException {
    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
