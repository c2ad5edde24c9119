package dev.berth.cli.shell;

/**
 * A command failed after running (docker's {@code cli.StatusError}): the message goes to stderr
 * as is, and the process exits with {@code exitCode}.
 */
public final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure with a message ready for the user. */
    public CommandFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The process exit status. */
    public int exitCode() {
        return exitCode;
    }
}
