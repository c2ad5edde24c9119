package dev.berth.cli;

/**
 * Wrong flags or arguments: printed with the command's usage line, exit status 125 for flag
 * errors (as docker) or the given status (docker uses 1 for argument-count errors).
 */
public final class UsageError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A flag error, exit status 125. */
    public UsageError(String message) {
        this(message, Main.USAGE_EXIT);
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
