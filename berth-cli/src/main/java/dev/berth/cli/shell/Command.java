package dev.berth.cli.shell;

import java.util.List;

/**
 * A command or a group of commands, found by name in a {@link CommandRegistry}: a
 * {@link LeafCommand} does the work, a {@link CommandGroup} dispatches to sub-commands.
 */
public abstract sealed class Command permits CommandGroup, LeafCommand {

    private final String name;
    private final String summary;
    private final List<String> aliases;

    /**
     * A command typed as {@code name} or one of its {@code aliases}.
     *
     * @param name    the name typed on the command line, e.g. {@code ls}
     * @param summary one line for the parent's help
     * @param aliases other names, e.g. {@code list} for {@code ls}
     */
    protected Command(String name, String summary, String... aliases) {
        this.name = name;
        this.summary = summary;
        this.aliases = List.of(aliases);
    }

    /** The name typed on the command line, e.g. {@code ls}. */
    public final String name() {
        return name;
    }

    /** One line for the parent's help. */
    public final String summary() {
        return summary;
    }

    /** Other names, e.g. {@code list} for {@code ls}. */
    public final List<String> aliases() {
        return aliases;
    }

    /**
     * Runs with the arguments that follow the command's name.
     *
     * @return the process exit status
     */
    public abstract int execute(Invocation invocation, List<String> args);
}
