package dev.berth.cli.shell;

import java.util.List;

/** A command or a group of commands, found by name in a {@link CommandRegistry}. */
public interface Command {

    /** The name typed on the command line, e.g. {@code ls}. */
    String name();

    /** Other names, e.g. {@code list} for {@code ls}. */
    default List<String> aliases() {
        return List.of();
    }

    /** One line for the parent's help. */
    String summary();

    /**
     * Runs with the arguments that follow the command's name.
     *
     * @return the process exit status
     */
    int execute(Invocation invocation, List<String> args);
}
