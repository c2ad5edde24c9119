package dev.berth.cli.shell;

/**
 * Wrong flags or arguments: printed with the command's usage line, exit status 125 for flag
 * errors (as docker) or the given status (docker uses 1 for argument-count errors).
 */
public final class UsageError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** docker's exit status for flag errors. */
    public static final int FLAG_ERROR_EXIT = 125;

    private final int exitCode;

    /** A flag error, exit status 125. */
    public UsageError(String message) {
        this(message, FLAG_ERROR_EXIT);
    }

    /** A usage error with an explicit exit status. */
    public UsageError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The process exit status. */
    public int exitCode() {
        return exitCode;
    }
}
