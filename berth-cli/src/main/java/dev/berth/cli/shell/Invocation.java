package dev.berth.cli.shell;

import dev.berth.cli.http.EngineClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything a command may use: its path for messages, the output streams, the environment,
 * the (lazily connected) Engine API client and the local time zone.
 *
 * @param path   the command path so far, e.g. {@code berth network}
 * @param in     standard input, for confirmation prompts
 * @param out    standard output
 * @param err    standard error
 * @param env    the environment
 * @param client the client, created on first use (the daemon address is only checked then)
 * @param localZone the local zone, for Go-like time printing, looked up on first use
 */
public record Invocation(String path, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
        Supplier<EngineClient> client, Supplier<ZoneId> localZone) {

    /** The same invocation one level deeper: {@code berth network} → {@code berth network ls}. */
    public Invocation enter(String name) {
        return new Invocation(path + " " + name, in, out, err, env, client, localZone);
    }

    /** The program name, {@code berth}. */
    public String root() {
        int space = path.indexOf(' ');
        return space < 0 ? path : path.substring(0, space);
    }

    /** The local zone (the first call looks it up). */
    public ZoneId zone() {
        return localZone.get();
    }

    /** The Engine API client. */
    public EngineClient engine() {
        return client.get();
    }
}
