package dev.berth.daemon.api;

import dev.berth.core.errors.BerthException;
import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.errors.UnavailableException;
import org.eclipse.jetty.http.HttpException;

/**
 * Maps an error category to the HTTP status moby's {@code httpstatus.FromError} gives it. Jetty's
 * own {@link HttpException}s (a body past the size limit: 413) keep their status.
 */
final class ErrorStatus {
    private ErrorStatus() {
    }

    static int of(Throwable error) {
        if (error instanceof HttpException http) {
            return http.getCode();
        }
        if (!(error instanceof BerthException berth)) {
            return 500;
        }
        return switch (berth) {
            case NotFoundException e -> 404;
            case InvalidParameterException e -> 400;
            case ConflictException e -> 409;
            case ForbiddenException e -> 403;
            case UnavailableException e -> 503;
            case InternalException e -> 500;
        };
    }

    /** The text shown to the user: the exception's message, or its type when it has none. */
    static String message(Throwable error) {
        String message = error instanceof HttpException http ? http.getReason() : error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getName() : message;
    }
}
