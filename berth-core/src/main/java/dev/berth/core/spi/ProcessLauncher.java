package dev.berth.core.spi;

import dev.berth.core.model.SandboxId;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Starts and stops the one process a sandbox may run ({@code berth run}), inside the sandbox's
 * network namespace and its own mount and UTS namespaces, which show it the sandbox's
 * {@code /etc/resolv.conf}, {@code /etc/hosts} and hostname.
 */
public interface ProcessLauncher {

    /**
     * What to start.
     *
     * @param id        the sandbox
     * @param name      its name (a {@code hosts} entry)
     * @param hostname  the hostname the process sees
     * @param netnsPath the namespace file to enter; empty for the daemon's own (host mode)
     * @param command   argv, at least one element
     * @param addresses the sandbox's own addresses (without prefix length), for {@code hosts}
     * @param embeddedDns the sandbox is on a user-defined network: its resolver is 127.0.0.11
     */
    record Launch(SandboxId id, String name, String hostname, String netnsPath, List<String> command,
                  List<String> addresses, boolean embeddedDns) {
        public Launch {
            command = List.copyOf(command);
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * The sandbox's endpoints now, for a process that runs already.
     *
     * @param id          the sandbox
     * @param name        its name
     * @param hostname    its hostname; with the name, the names of its own {@code hosts} entries
     * @param addresses   its own addresses now (without prefix length)
     * @param embeddedDns it is on a user-defined network now
     */
    record FilesUpdate(SandboxId id, String name, String hostname, List<String> addresses, boolean embeddedDns) {
        public FilesUpdate {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * Writes the sandbox's files and starts the process; {@code onExit} gets its exit status (128 +
     * signal when killed) once it ends. Returns its PID.
     */
    long start(Launch launch, IntConsumer onExit);

    /**
     * After a connect or disconnect, brings the running process's files in line, as Docker does:
     * the own entries of {@code hosts} become exactly {@code addresses} (other lines stay), and
     * with {@code embeddedDns} {@code resolv.conf} switches to 127.0.0.11 unless it names it
     * already or was edited since it was written. It never switches back. The files are changed in
     * place (the process sees them through bind mounts). Nothing when the sandbox has no files.
     */
    void updateFiles(FilesUpdate update);

    /** Sends SIGKILL to a process this launcher started; nothing when it is gone. */
    void kill(long pid);

    /**
     * Kills (SIGKILL) every process in the network namespace pinned at {@code netnsPath}: at
     * start-up, processes that outlived a crashed daemon. Nothing when there is none.
     */
    void killInNamespace(String netnsPath);

    /** Where the process's output (stdout and stderr, interleaved) is kept. */
    String logPath(SandboxId id);

    /** Deletes the sandbox's files (resolv.conf, hosts, hostname, log). Succeeds when gone. */
    void deleteFiles(SandboxId id);
}
