package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code berth exec CONTAINER [--] COMMAND [ARG...]}: runs a command in the namespaces (network,
 * mount, UTS, PID) of the sandbox's process and exits with its status. Berth has no exec API: the
 * CLI reads {@code State.Pid} from {@code GET /containers/{id}/json} and runs
 * {@code nsenter --target PID --net --mount --uts --pid -- COMMAND} itself, with its own stdin,
 * stdout and stderr. So it works only as root, on the daemon's host and in its PID namespace. In
 * the sandbox's PID namespace the command ends with the sandbox ({@code rm -f} kills it too), and
 * {@code ps} in it (the namespace's own {@code /proc}) shows only the sandbox's processes;
 * {@code nsenter} forks to enter it and passes the command's status on.
 */
public final class ExecCommand extends LeafCommand {

    public ExecCommand() {
        super("exec", "Execute a command in a running sandbox",
                Usage.commandLine(2, "[OPTIONS] CONTAINER [--] COMMAND [ARG...]"));
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        String container = options.positional().getFirst();
        List<String> command = command(options.positional());
        JsonNode state = invocation.engine().getJson("/containers/" + PathSegment.escape(container) + "/json",
                Map.of()).path("State");
        long pid = state.path("Pid").asLong(0);
        if (!state.path("Running").asBoolean(false) || pid <= 0) {
            throw new CommandFailure("Error response from daemon: container " + container + " is not running", 1);
        }
        if (!isRoot() || !Files.exists(Path.of("/proc", Long.toString(pid)))) {
            throw new CommandFailure("berth exec must run as root on the daemon's host: it enters the sandbox's"
                    + " namespaces with nsenter", 126);
        }
        return nsenter(pid, command);
    }

    /** The command after the container, without a {@code --} separator. */
    static List<String> command(List<String> positional) {
        List<String> rest = positional.subList(1, positional.size());
        if (!rest.isEmpty() && rest.getFirst().equals("--")) {
            rest = rest.subList(1, rest.size());
        }
        if (rest.isEmpty()) {
            throw new CommandFailure("exec: no command given", 125);
        }
        return List.copyOf(rest);
    }

    /** {@code nsenter --target PID --net --mount --uts --pid -- COMMAND}. */
    static List<String> argv(long pid, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--target", Long.toString(pid), "--net", "--mount",
                "--uts", "--pid", "--"));
        argv.addAll(command);
        return argv;
    }

    private static int nsenter(long pid, List<String> command) {
        try {
            Process process = new ProcessBuilder(argv(pid, command)).inheritIO().start();
            return process.waitFor();
        } catch (IOException e) {
            throw new CommandFailure("exec: cannot run nsenter: " + e.getMessage(), 126);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("exec: interrupted", 130);
        }
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
