package dev.berth.cli.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags one command accepts, parsed like Go's pflag (as cobra uses it): {@code --name value},
 * {@code --name=value}, {@code -n value}, {@code -nvalue}, grouped booleans ({@code -qa}),
 * flags and arguments interleaved, {@code --} ending flags. {@code -h/--help} is always defined.
 */
public final class Flags {

    /** What a flag holds. */
    public enum Kind { BOOL, STRING, LIST }

    /**
     * One flag definition.
     *
     * @param name      the long name, without dashes
     * @param shorthand the one-letter form, or {@code 0}
     * @param kind      bool, single string, or repeatable string
     * @param valueName the placeholder shown in help ({@code string}, {@code filter})
     * @param usage     the help text; extra lines are aligned under the first
     */
    public record Flag(String name, char shorthand, Kind kind, String valueName, String usage) {
    }

    private final Map<String, Flag> flags = new LinkedHashMap<>();

    /** An empty set: only {@code --help}. */
    public Flags() {
        add(new Flag("help", 'h', Kind.BOOL, "", "Print usage"));
    }

    /** Adds a boolean flag. */
    public Flags bool(String name, char shorthand, String usage) {
        return add(new Flag(name, shorthand, Kind.BOOL, "", usage));
    }

    /** Adds a string flag; the last occurrence wins. */
    public Flags string(String name, char shorthand, String valueName, String usage) {
        return add(new Flag(name, shorthand, Kind.STRING, valueName, usage));
    }

    /** Adds a repeatable string flag. */
    public Flags list(String name, char shorthand, String valueName, String usage) {
        return add(new Flag(name, shorthand, Kind.LIST, valueName, usage));
    }

    private Flags add(Flag flag) {
        flags.put(flag.name(), flag);
        return this;
    }

    /**
     * Parses {@code args}.
     *
     * @param interspersed whether flags may follow positional arguments (false for the global flags)
     * @throws UsageError for unknown flags or missing values
     */
    public Options parse(List<String> args, boolean interspersed) {
        Options options = new Options();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                options.positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.startsWith("--")) {
                i = longFlag(args, i, options);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                i = shortFlags(args, i, options);
            } else if (interspersed) {
                options.positional.add(arg);
            } else {
                options.positional.addAll(args.subList(i, args.size()));
                break;
            }
        }
        return options;
    }

    private int longFlag(List<String> args, int i, Options options) {
        String body = args.get(i).substring(2);
        int eq = body.indexOf('=');
        String name = eq >= 0 ? body.substring(0, eq) : body;
        Flag flag = flags.get(name);
        if (flag == null) {
            throw new UsageError("unknown flag: --" + name);
        }
        if (eq >= 0) {
            options.set(flag, body.substring(eq + 1));
            return i;
        }
        if (flag.kind() == Kind.BOOL) {
            options.set(flag, "true");
            return i;
        }
        if (i + 1 >= args.size()) {
            throw new UsageError("flag needs an argument: --" + name);
        }
        options.set(flag, args.get(i + 1));
        return i + 1;
    }

    private int shortFlags(List<String> args, int i, Options options) {
        String group = args.get(i).substring(1);
        for (int j = 0; j < group.length(); j++) {
            char c = group.charAt(j);
            Flag flag = byShorthand(c);
            if (flag == null) {
                throw new UsageError("unknown shorthand flag: '" + c + "' in -" + group);
            }
            String rest = group.substring(j + 1);
            if (flag.kind() == Kind.BOOL) {
                if (rest.startsWith("=")) {
                    options.set(flag, rest.substring(1));
                    return i;
                }
                options.set(flag, "true");
                continue;
            }
            if (!rest.isEmpty()) {
                options.set(flag, rest.startsWith("=") ? rest.substring(1) : rest);
                return i;
            }
            if (i + 1 >= args.size()) {
                throw new UsageError("flag needs an argument: '" + c + "' in -" + group);
            }
            options.set(flag, args.get(i + 1));
            return i + 1;
        }
        return i;
    }

    private Flag byShorthand(char c) {
        for (Flag flag : flags.values()) {
            if (flag.shorthand() == c) {
                return flag;
            }
        }
        return null;
    }

    /** Every flag, {@code --help} included, in the order they were added (for shell completion). */
    public List<Flag> all() {
        return List.copyOf(flags.values());
    }

    /** pflag's {@code FlagUsages}: one aligned line per flag, sorted by name ({@code --help} not listed, as docker). */
    public String usages() {
        List<Flag> sorted = new ArrayList<>(flags.values());
        sorted.removeIf(f -> f.name().equals("help"));
        sorted.sort(java.util.Comparator.comparing(Flag::name));
        List<String> heads = new ArrayList<>();
        int width = 0;
        for (Flag flag : sorted) {
            String head = (flag.shorthand() != 0 ? "  -" + flag.shorthand() + ", --" : "      --") + flag.name()
                    + (flag.valueName().isEmpty() ? "" : " " + flag.valueName());
            heads.add(head);
            width = Math.max(width, head.length());
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < sorted.size(); k++) {
            String pad = " ".repeat(width - heads.get(k).length() + 3);
            String indent = "\n" + " ".repeat(width + 3);
            out.append(heads.get(k)).append(pad).append(sorted.get(k).usage().replace("\n", indent)).append('\n');
        }
        return out.toString();
    }

    /** Parsed values and positional arguments. */
    public static final class Options {

        private final Map<String, List<String>> values = new LinkedHashMap<>();
        private final List<String> positional = new ArrayList<>();

        private void set(Flag flag, String given) {
            String value = flag.kind() == Kind.BOOL ? parseBool(flag, given) : given;
            List<String> list = values.computeIfAbsent(flag.name(), k -> new ArrayList<>());
            if (flag.kind() != Kind.LIST) {
                list.clear();
            }
            list.add(value);
        }

        /** Go's {@code strconv.ParseBool}, as pflag uses it: {@code 1 t T TRUE true True} and the false forms. */
        private static String parseBool(Flag flag, String value) {
            return switch (value) {
                case "1", "t", "T", "TRUE", "true", "True" -> "true";
                case "0", "f", "F", "FALSE", "false", "False" -> "false";
                default -> throw new UsageError("invalid argument \"" + value + "\" for \"" + describe(flag)
                        + "\" flag: strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
            };
        }

        /** Whether the flag appeared on the command line (pflag's {@code Changed}). */
        public boolean given(String name) {
            return values.containsKey(name);
        }

        /** Whether a boolean flag is set to true. */
        public boolean bool(String name) {
            List<String> v = values.get(name);
            return v != null && v.getLast().equals("true");
        }

        /** A string flag's value, or {@code fallback}. */
        public String string(String name, String fallback) {
            List<String> v = values.get(name);
            return v == null ? fallback : v.getLast();
        }

        /** A repeatable flag's values in order. */
        public List<String> list(String name) {
            return List.copyOf(values.getOrDefault(name, List.of()));
        }

        /** The positional arguments. */
        public List<String> positional() {
            return List.copyOf(positional);
        }
    }

    /** {@code -f, --filter} as pflag names a flag in messages. */
    static String describe(Flag flag) {
        return flag.shorthand() != 0 ? "-" + flag.shorthand() + ", --" + flag.name() : "--" + flag.name();
    }
}
