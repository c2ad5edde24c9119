package dev.berth.cli.shell;

/**
 * What a {@link LeafCommand} takes after its path: the usage tail its help and errors show, how
 * many positional arguments, and whether flags may follow them.
 *
 * @param arguments    the usage tail, e.g. {@code [OPTIONS] NETWORK [NETWORK...]}
 * @param minArgs      the fewest positional arguments
 * @param maxArgs      the most, {@link #UNLIMITED} for no limit
 * @param interspersed whether flags may follow positional arguments; {@code false} for commands
 *                     whose arguments end in a command line of their own ({@code run},
 *                     {@code exec}), as in docker
 */
public record Usage(String arguments, int minArgs, int maxArgs, boolean interspersed) {

    /** No upper limit on positional arguments. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** Flags only, no positional argument: {@code [OPTIONS]}. */
    public static Usage optionsOnly() {
        return new Usage("[OPTIONS]", 0, 0, true);
    }

    /** {@code min} or more positional arguments, flags anywhere. */
    public static Usage atLeast(int min, String arguments) {
        return new Usage(arguments, min, UNLIMITED, true);
    }

    /** Exactly {@code count} positional arguments, flags anywhere. */
    public static Usage exactly(int count, String arguments) {
        return new Usage(arguments, count, count, true);
    }

    /**
     * {@code min} or more positional arguments that end in a command line of their own: flags
     * stop at the first positional argument.
     */
    public static Usage commandLine(int min, String arguments) {
        return new Usage(arguments, min, UNLIMITED, false);
    }
}
