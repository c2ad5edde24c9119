package dev.berth.core.errors;

/**
 * Root of Berth's error family. Each subtype is a category the API layer maps to one HTTP status;
 * the message is the user-facing text (Docker's wording where Docker has one).
 */
public abstract sealed class BerthException extends RuntimeException
        permits NotFoundException, ConflictException, InvalidParameterException, ForbiddenException,
                UnavailableException, InternalException {

    protected BerthException(String message) {
        super(message);
    }

    protected BerthException(String message, Throwable cause) {
        super(message, cause);
    }
}
