package dev.berth.cli.http;

/** The daemon could not be reached at all (socket missing, refused, denied). */
public final class ConnectionFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure to connect with a message ready for the user. */
    public ConnectionFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
