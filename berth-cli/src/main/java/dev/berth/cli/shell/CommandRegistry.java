package dev.berth.cli.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Commands by name and alias. New commands slot in with one {@link #add} call where their
 * parent is built ({@link Main#commands()} for top-level ones, a {@link CommandGroup} for
 * {@code network ...}).
 */
public final class CommandRegistry {

    private final List<Command> commands = new ArrayList<>();

    /** Registers a command; its name and aliases must be unused. */
    public CommandRegistry add(Command command) {
        for (String name : names(command)) {
            if (find(name).isPresent()) {
                throw new IllegalArgumentException("duplicate command name " + name);
            }
        }
        commands.add(command);
        return this;
    }

    /** The command called {@code name} (or aliased so). */
    public Optional<Command> find(String name) {
        return commands.stream().filter(c -> names(c).contains(name)).findFirst();
    }

    /** The commands sorted by name, for help. */
    public List<Command> sorted() {
        return commands.stream().sorted(Comparator.comparing(Command::name)).toList();
    }

    /** The help block {@code "  name   summary"} per command, names padded like cobra. */
    public String summaries() {
        int width = Math.max(11, commands.stream().mapToInt(c -> c.name().length()).max().orElse(0)) + 1;
        StringBuilder out = new StringBuilder();
        for (Command c : sorted()) {
            out.append("  ").append(c.name()).repeat(' ', width - c.name().length()).append(c.summary()).append('\n');
        }
        return out.toString();
    }

    private static List<String> names(Command command) {
        List<String> names = new ArrayList<>(command.aliases());
        names.addFirst(command.name());
        return names;
    }
}
