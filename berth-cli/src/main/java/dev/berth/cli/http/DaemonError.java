package dev.berth.cli.http;

/**
 * The daemon answered with an error status; the message is what the docker CLI would print,
 * e.g. {@code Error response from daemon: network nosuch not found}.
 */
public final class DaemonError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /** An error for {@code status} with the printable {@code message}. */
    public DaemonError(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, e.g. 404. */
    public int status() {
        return status;
    }
}
