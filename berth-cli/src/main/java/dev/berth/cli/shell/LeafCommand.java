package dev.berth.cli.shell;

import java.util.List;

/**
 * A runnable command: parses its {@link Flags}, answers {@code --help}, checks the number of
 * arguments against its {@link Usage}, then {@link #run}s. Subclasses give their name, summary
 * and usage to the constructor, their flags by {@link #flags}, and do the work.
 */
public abstract non-sealed class LeafCommand extends Command {

    private final Usage usage;

    /**
     * A command typed as {@code name} or one of its {@code aliases}.
     *
     * @param name    the name typed on the command line, e.g. {@code ls}
     * @param summary one line for the parent's help (and {@code --help}, unless {@link #description} says more)
     * @param usage   its arguments
     * @param aliases other names, e.g. {@code list} for {@code ls}
     */
    protected LeafCommand(String name, String summary, Usage usage, String... aliases) {
        super(name, summary, aliases);
        this.usage = usage;
    }

    /** The flags this command accepts (besides {@code --help}); none by default. */
    protected Flags flags() {
        return new Flags();
    }

    /** The flags it accepts, {@code --help} included (for shell completion). */
    public final List<Flags.Flag> acceptedFlags() {
        return flags().all();
    }

    /** A longer description for {@code --help}; the summary by default. */
    protected String description() {
        return summary();
    }

    /** Does the work once flags and arguments are valid. */
    protected abstract int run(Invocation invocation, Flags.Options options);

    @Override
    public final int execute(Invocation parent, List<String> args) {
        Invocation here = parent.enter(name());
        Flags flags = flags();
        Flags.Options options;
        try {
            options = flags.parse(args, usage.interspersed());
        } catch (UsageError e) {
            throw new UsageError(usageMessage(e.getMessage(), here.path(), usage.arguments(), "Run"), e.exitCode());
        }
        if (options.bool("help")) {
            here.out().print(help(here.path(), parent.path(), flags));
            return 0;
        }
        int count = options.positional().size();
        int minArgs = usage.minArgs();
        int maxArgs = usage.maxArgs();
        String arguments = usage.arguments();
        if (minArgs == maxArgs && minArgs > 0 && count != minArgs) {
            String plural = minArgs == 1 ? "argument" : "arguments";
            throw new UsageError(usageMessage(here.root() + ": '" + here.path() + "' requires " + minArgs
                    + " " + plural, here.path(), arguments, "Run"), 1);
        }
        if (count < minArgs) {
            String plural = minArgs == 1 ? "argument" : "arguments";
            throw new UsageError(usageMessage(here.root() + ": '" + here.path() + "' requires at least " + minArgs
                    + " " + plural, here.path(), arguments, "See"), 1);
        }
        if (count > maxArgs) {
            String what = maxArgs == 0 ? "accepts no arguments" : "accepts at most " + maxArgs + " arguments";
            throw new UsageError(usageMessage(here.root() + ": '" + here.path() + "' " + what, here.path(), arguments, "Run"), 1);
        }
        return run(here, options);
    }

    /** A flag value rejected while running (docker rejects it while parsing): message, usage, exit 125. */
    protected final UsageError invalidFlag(Invocation invocation, String message) {
        return new UsageError(usageMessage(message, invocation.path(), usage.arguments(), "Run"));
    }

    /** The text docker prints for a usage error: message, usage line, pointer to --help. */
    static String usageMessage(String message, String path, String arguments, String verb) {
        return message + "\n\nUsage:  " + path + " " + arguments + "\n\n" + verb + " '" + path
                + " --help' for more information";
    }

    private String help(String path, String parentPath, Flags flags) {
        StringBuilder out = new StringBuilder();
        out.append("\nUsage:  ").append(path).append(' ').append(usage.arguments()).append("\n\n").append(description()).append('\n');
        if (!aliases().isEmpty()) {
            out.append("\nAliases:\n  ").append(path);
            aliases().forEach(a -> out.append(", ").append(parentPath).append(' ').append(a));
            out.append('\n');
        }
        out.append("\nOptions:\n").append(flags.usages());
        return out.toString();
    }
}
