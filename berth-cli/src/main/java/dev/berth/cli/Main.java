package dev.berth.cli;

import dev.berth.cli.shell.ClientVersion;
import dev.berth.cli.shell.Command;
import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.shell.CommandGroup;
import dev.berth.cli.shell.CommandRegistry;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.UsageError;
import dev.berth.cli.command.CompletionCommand;
import dev.berth.cli.command.ContainerRemove;
import dev.berth.cli.command.ContainerStop;
import dev.berth.cli.command.DoctorCommand;
import dev.berth.cli.command.EventsCommand;
import dev.berth.cli.command.ExecCommand;
import dev.berth.cli.command.PsCommand;
import dev.berth.cli.command.RunCommand;
import dev.berth.cli.command.InfoCommand;
import dev.berth.cli.command.NetworkCreate;
import dev.berth.cli.command.NetworkPrune;
import dev.berth.cli.command.NetworkRemove;
import dev.berth.cli.command.NetworkInspect;
import dev.berth.cli.command.NetworkList;
import dev.berth.cli.command.VersionCommand;
import dev.berth.cli.http.ConnectionFailure;
import dev.berth.cli.http.DaemonAddress;
import dev.berth.cli.http.DaemonError;
import dev.berth.cli.http.EngineClient;
import dev.berth.cli.http.UnixSocketTransport;
import dev.berth.cli.format.JsonTree;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
        Thread.ofPlatform().daemon().name("berth-prewarm-io").start(new Prewarm(true));
        Thread.ofPlatform().daemon().name("berth-prewarm-types").start(new Prewarm(false));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = run(args, System.getenv(), System.in, out, err);
        out.flush();
        err.flush();
        // halt, not exit: every stream is flushed and the one shutdown hook (run's) is gone by now;
        // System.exit would first set up the platform logging (Runtime.exit logs), ~5 ms per call
        Runtime.getRuntime().halt(status);
    }

    /**
     * One-time set-up most commands need, on two more threads while the main one parses flags and
     * builds the commands, so that on two cores the JVM initialises them side by side instead of
     * one after another when the command reaches them: a Unix socket channel (the JDK seeds a
     * SecureRandom for it) and JSON reading on one; the Go type of a network (for the network
     * commands; its records' class files are read) on the other. The local zone is not among them:
     * most commands never need it (the daemon's times are UTC), and finding it loads the tz
     * database (~13 ms of CPU, which two cores cannot spare). Nothing is kept; a command finds the
     * classes initialised. A class, not a method reference: a lambda's class would be spun at run
     * time, which costs more than it saves.
     *
     * @param io the socket and JSON half, or else the network type
     */
    private record Prewarm(boolean io) implements Runnable {
        @Override
        public void run() {
            try {
                if (io) {
                    SocketChannel.open(StandardProtocolFamily.UNIX).close();
                    JsonTree.read("{\"a\":[\"b\",1,true,null]}");
                } else {
                    NetworkList.networkType();
                }
            } catch (IOException | RuntimeException e) {
                // only a head start: the command does the same again and reports what fails
            }
        }
    }

    /**
     * Runs {@code berth args...} with an empty standard input (confirmation prompts read "no").
     *
     * @return the exit status: 0, 1 (command or daemon error), 125 (bad flags), 64 (bad template)
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, InputStream.nullInputStream(), out, err);
    }

    /**
     * Runs {@code berth args...} reading prompts' answers from {@code in}.
     *
     * @return the exit status: 0, 1 (command or daemon error), 125 (bad flags), 64 (bad template)
     */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        try {
            return dispatch(List.of(args), env, new Streams(in, out, err));
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

    /** The three standard streams of one run. */
    private record Streams(InputStream in, PrintStream out, PrintStream err) {
    }

    private static int dispatch(List<String> args, Map<String, String> env, Streams streams) {
        PrintStream out = streams.out();
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
        Supplier<EngineClient> client = new OnFirstUse<>(() -> newClient(hostFlag, env));
        Invocation root = new Invocation(PROGRAM, streams.in(), out, streams.err(), env, client,
                new OnFirstUse<>(() -> localZone(env)));
        if (LAUNCHER_COMMANDS.contains(rest.getFirst())) {
            throw new UsageError(PROGRAM + ": '" + rest.getFirst() + "' is run by the launcher, not by this program: "
                    + "./berth " + rest.getFirst() + " in a Berth source checkout (as root), or the installed "
                    + PROGRAM + " (uninstall)\nSee '" + PROGRAM + " --help'", 1);
        }
        Command command = commands.find(rest.getFirst()).orElseThrow(() -> new UsageError(
                PROGRAM + ": '" + rest.getFirst() + "' is not a " + PROGRAM + " command.\nSee '" + PROGRAM + " --help'", 1));
        return command.execute(root, rest.subList(1, rest.size()));
    }

    /**
     * Go's local zone: {@code TZ} unset → the system's, empty or {@code UTC} → UTC, otherwise
     * the named zone (a leading {@code :} and a {@code .../zoneinfo/} path prefix are allowed),
     * UTC when unknown.
     */
    static ZoneId localZone(Map<String, String> env) {
        String tz = env.get("TZ");
        if (tz == null) {
            return ZoneId.systemDefault();
        }
        String name = tz.startsWith(":") ? tz.substring(1) : tz;
        int zoneinfo = name.indexOf("/zoneinfo/");
        if (zoneinfo >= 0) {
            name = name.substring(zoneinfo + "/zoneinfo/".length());
        }
        if (name.equals("/etc/localtime")) {
            return ZoneId.systemDefault();
        }
        try {
            return name.isEmpty() ? ZoneOffset.UTC : ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** The top-level commands; add new ones here. */
    static CommandRegistry commands() {
        CommandRegistry network = new CommandRegistry()
                .add(new NetworkList())
                .add(new NetworkInspect())
                .add(new NetworkCreate())
                .add(new NetworkRemove())
                .add(new NetworkPrune());
        return new CommandRegistry()
                .add(new CommandGroup("network", "Manage networks", network))
                .add(new CommandGroup("system", "Manage Berth", new CommandRegistry().add(new EventsCommand())))
                .add(new EventsCommand())
                .add(new RunCommand())
                .add(new ExecCommand())
                .add(new PsCommand())
                .add(new ContainerRemove())
                .add(new ContainerStop())
                .add(new VersionCommand())
                .add(new InfoCommand())
                .add(new DoctorCommand())
                .add(new CompletionCommand(Main::commands, globalFlags()));
    }

    private static Flags globalFlags() {
        return new Flags()
                .string("host", 'H', "string", "Daemon socket to connect to: unix:///path (default $" + DaemonAddress.ENV
                        + ", else " + DaemonAddress.DEFAULT + ").\nDOCKER_HOST is not consulted.")
                .bool("version", 'v', "Print version information and quit");
    }

    /**
     * What docker has no counterpart of, for the help. {@code install}, {@code uninstall} and
     * {@code package} are the launcher's ({@code ./berth} in a checkout; the installed
     * {@code berth} runs {@code uninstall}), not this program's: they need a JDK and root.
     */
    private static final java.util.Set<String> LAUNCHER_COMMANDS = java.util.Set.of("install", "uninstall", "package");

    static final String BERTH_ONLY = """
            Berth's own (docker has no such commands or works otherwise; see README.md):
              doctor      Check the host for Berth's networks (IPv6, forwarding, NDP proxy) and the kernel
                          state Berth owns; what is wrong, why, and the commands that fix it
              run, exec, ps, rm, stop
                          Sandboxes without images: 'berth run --network NET -- CMD' runs a host command
                          in a network namespace of its own, as a container would be (no image, no rootfs)
              install     From a source checkout, as root: './berth install [--root DIR]' puts berthd,
                          berth and a runtime of their own (a jlinked JDK) in place, with the systemd unit
                          berth.service (Type=notify; reload = SIGHUP), the socket group 'berth',
                          /etc/berth/daemon.json, bash completion and man pages; run twice, it changes
                          nothing more. It never enables or starts the service
              uninstall   'berth uninstall [--force] [--root DIR]': removes what install put in place; while
                          containers run it names them and refuses, unless --force (which stops them)
              package     './berth package [--output DIR]': the same as a Debian package, berth_VERSION_amd64.deb
            """;

    private static String help(Flags global, CommandRegistry commands) {
        return "\nUsage:  " + PROGRAM + " [OPTIONS] COMMAND\n\n"
                + "The client of Berth, a container-networking daemon speaking the Docker Engine API.\n"
                + "Output, exit statuses and requests match the docker CLI 28.2's, except that 'network create'\n"
                + "also shows the daemon's warning.\n\n"
                + "Commands:\n" + commands.summaries()
                + "\n" + BERTH_ONLY
                + "\nGlobal Options:\n" + global.usages()
                + "\nExit status: 0 success, 1 failure (daemon or command error, unknown command, wrong\n"
                + "number of arguments), 125 invalid flag, 64 invalid template (as docker).\n"
                + "\nRun '" + PROGRAM + " COMMAND --help' for more information on a command.\n";
    }

    /** The client for the daemon {@code --host} or the environment names (the address is checked here). */
    private static EngineClient newClient(String hostFlag, Map<String, String> env) {
        DaemonAddress address = DaemonAddress.resolve(hostFlag, env);
        String agent = "Berth-Client/" + ClientVersion.VERSION + " (linux)";
        return new EngineClient(new UnixSocketTransport(address, agent));
    }

    /**
     * {@code make}'s value, made on the first {@link #get}: the client (commands that never call the
     * daemon never resolve it) and the local zone (only a time with an offset, or a command that
     * prints local times, needs it; finding it loads the tz database).
     */
    private static final class OnFirstUse<T> implements Supplier<T> {

        private final Supplier<T> make;
        private T value;

        OnFirstUse(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public T get() {
            if (value == null) {
                value = make.get();
            }
            return value;
        }
    }
}
