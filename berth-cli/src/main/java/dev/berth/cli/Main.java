package dev.berth.cli;

import dev.berth.cli.shell.ClientVersion;
import dev.berth.cli.shell.Command;
import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.shell.CommandGroup;
import dev.berth.cli.shell.CommandRegistry;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.UsageError;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.command.InfoCommand;
import dev.berth.cli.command.NetworkInspect;
import dev.berth.cli.command.NetworkList;
import dev.berth.cli.command.VersionCommand;
import dev.berth.cli.http.ConnectionFailure;
import dev.berth.cli.http.DaemonAddress;
import dev.berth.cli.http.DaemonError;
import dev.berth.cli.http.EngineClient;
import dev.berth.cli.http.UnixSocketTransport;
import dev.berth.cli.template.RawJson;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code berth} command: global options, then a command from the registry. {@link #run} is
 * the whole program without {@code System.exit}, so tests call it in-process.
 */
public final class Main {
    private static final String PROGRAM = "berth";

    private Main() {
    }

    /** Runs and exits with the command's status. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = run(args, System.getenv(), out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Runs {@code berth args...}.
     *
     * @return the exit status: 0, 1 (command or daemon error), 125 (bad flags), 64 (bad inspect template)
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            return dispatch(List.of(args), env, out, err);
        } catch (UsageError e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (DaemonError | ConnectionFailure | IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Flags global = globalFlags();
        Flags.Options options;
        try {
            options = global.parse(args, false);
        } catch (UsageError e) {
            throw new UsageError(e.getMessage() + "\nSee '" + PROGRAM + " --help'.");
        }
        CommandRegistry commands = commands();
        List<String> rest = options.positional();
        if (options.bool("version")) {
            out.println("Berth version " + ClientVersion.VERSION);
            return 0;
        }
        if (options.bool("help") || rest.isEmpty()) {
            out.print(help(global, commands));
            return 0;
        }
        String hostFlag = options.string("host", null);
        Supplier<EngineClient> client = new LazyClient(hostFlag, env);
        Invocation root = new Invocation(PROGRAM, out, err, env, client, RawJson.mapper(), ZoneId.systemDefault());
        Command command = commands.find(rest.getFirst()).orElseThrow(() -> new UsageError(
                PROGRAM + ": '" + rest.getFirst() + "' is not a " + PROGRAM + " command.\nSee '" + PROGRAM + " --help'", 1));
        return command.execute(root, rest.subList(1, rest.size()));
    }

    /** The top-level commands; add new ones here. */
    static CommandRegistry commands() {
        CommandRegistry network = new CommandRegistry()
                .add(new NetworkList())
                .add(new NetworkInspect());
        return new CommandRegistry()
                .add(new CommandGroup("network", "Manage networks", network))
                .add(new VersionCommand())
                .add(new InfoCommand());
    }

    private static Flags globalFlags() {
        return new Flags()
                .string("host", 'H', "string", "Daemon socket to connect to: unix:///path (default $" + DaemonAddress.ENV
                        + ", else " + DaemonAddress.DEFAULT + ").\nDOCKER_HOST is not consulted.")
                .bool("version", 'v', "Print version information and quit");
    }

    private static String help(Flags global, CommandRegistry commands) {
        return "\nUsage:  " + PROGRAM + " [OPTIONS] COMMAND\n\n"
                + "The client of Berth, a container-networking daemon speaking the Docker Engine API.\n"
                + "Output of 'network ls' and 'network inspect' is identical to the docker CLI's.\n\n"
                + "Commands:\n" + commands.summaries()
                + "\nGlobal Options:\n" + global.usages()
                + "\nExit status: 0 success, 1 failure (daemon or command error, unknown command, wrong\n"
                + "number of arguments), 125 invalid flag, 64 invalid 'network inspect' template (as docker).\n"
                + "\nRun '" + PROGRAM + " COMMAND --help' for more information on a command.\n";
    }

    /** Builds the client on first use, so that commands that never call the daemon never resolve it. */
    private static final class LazyClient implements Supplier<EngineClient> {

        private final String hostFlag;
        private final Map<String, String> env;
        private EngineClient client;

        LazyClient(String hostFlag, Map<String, String> env) {
            this.hostFlag = hostFlag;
            this.env = env;
        }

        @Override
        public EngineClient get() {
            if (client == null) {
                DaemonAddress address = DaemonAddress.resolve(hostFlag, env);
                String agent = "Berth-Client/" + ClientVersion.VERSION + " (linux)";
                client = new EngineClient(new UnixSocketTransport(address, agent), new ObjectMapper());
            }
            return client;
        }
    }
}
