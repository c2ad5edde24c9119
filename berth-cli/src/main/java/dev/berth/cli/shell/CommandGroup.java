package dev.berth.cli.shell;

import java.util.List;

/**
 * A command that only dispatches to sub-commands ({@code berth network ls}). Without a
 * sub-command, or with {@code --help}, it prints its help and succeeds, as docker does.
 */
public final class CommandGroup extends Command {

    private final CommandRegistry children;

    /** A group {@code name} with {@code children}. */
    public CommandGroup(String name, String summary, CommandRegistry children) {
        super(name, summary);
        this.children = children;
    }

    /** Its sub-commands. */
    public CommandRegistry children() {
        return children;
    }

    @Override
    public int execute(Invocation invocation, List<String> args) {
        Invocation here = invocation.enter(name());
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h")) {
            here.out().print(help(here.path()));
            return 0;
        }
        String sub = args.getFirst();
        if (sub.startsWith("-")) {
            throw new UsageError(LeafCommand.usageMessage(
                    "unknown " + (sub.startsWith("--") ? "flag: " + sub.split("=")[0] : "shorthand flag: '" + sub.charAt(1) + "' in " + sub),
                    here.path(), "COMMAND", "Run"));
        }
        return children.find(sub)
                .map(c -> c.execute(here, args.subList(1, args.size())))
                .orElseThrow(() -> new UsageError(LeafCommand.usageMessage(
                        here.root() + ": '" + sub + "' is not a " + here.root() + " " + name() + " command.",
                        here.path(), "COMMAND", "Run"), 1));
    }

    private String help(String path) {
        return "\nUsage:  " + path + " COMMAND\n\n" + summary() + "\n\nCommands:\n" + children.summaries()
                + "\nRun '" + path + " COMMAND --help' for more information on a command.\n";
    }
}
