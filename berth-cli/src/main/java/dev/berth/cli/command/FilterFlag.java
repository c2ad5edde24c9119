package dev.berth.cli.command;

import dev.berth.cli.http.Query;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.UsageError;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Docker's {@code --filter} ({@code opts.FilterOpt}) of a command that takes no arguments
 * ({@code [OPTIONS]}): a repeatable {@code key=value}, key lower-cased and both trimmed, empty
 * values skipped, sent as the {@code filters} query parameter ({@link Query#filtersJson}).
 *
 * @param shorthand the one-letter form ({@code f}), or {@code 0}
 * @param usage     the help text
 */
record FilterFlag(char shorthand, String usage) {

    /** {@code flags} with this flag added. */
    Flags addTo(Flags flags) {
        return flags.list("filter", shorthand, "filter", usage);
    }

    /**
     * The given filters as query parameters: {@code filters}, or nothing when none are given.
     *
     * @param path the command path, for the usage error a value without {@code =} is
     */
    Map<String, List<String>> query(Flags.Options options, String path) {
        String filters = Query.filtersJson(parse(options.list("filter"), path));
        return filters == null ? Map.of() : Map.of("filters", List.of(filters));
    }

    private SortedMap<String, TreeSet<String>> parse(List<String> values, String path) {
        SortedMap<String, TreeSet<String>> filters = new TreeMap<>();
        for (String value : values) {
            if (value.isEmpty()) {
                continue;
            }
            int eq = value.indexOf('=');
            if (eq < 0) {
                String flag = shorthand == 0 ? "--filter" : "-" + shorthand + ", --filter";
                throw new UsageError("invalid argument \"" + value + "\" for \"" + flag
                        + "\" flag: bad format of filter (expected name=value)\n\nUsage:  " + path
                        + " [OPTIONS]\n\nRun '" + path + " --help' for more information");
            }
            String key = value.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            filters.computeIfAbsent(key, k -> new TreeSet<>()).add(value.substring(eq + 1).strip());
        }
        return filters;
    }
}
