package dev.berth.core.spi;

import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.SandboxId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Starts and stops the one process a sandbox may run ({@code berth run}), inside the sandbox's
 * network namespace and its own PID, mount and UTS namespaces, which show it the sandbox's
 * {@code /etc/resolv.conf}, {@code /etc/hosts}, hostname and its own {@code /proc}. Every process
 * it forks stays in that PID namespace, so killing the process ends them all.
 *
 * <p>Processes outlive the daemon (live restore): each has a monitor of its own that records its
 * exit status, and a daemon that starts again {@link #adopt adopts} them.
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
     * @param container the image's process settings for a container (run by runc on {@code rootfs});
     *                  {@code null} for a host binary ({@code berth run})
     * @param rootfs    the container's root filesystem (its overlay mount), {@code ""} without {@code container}
     */
    record Launch(SandboxId id, String name, String hostname, String netnsPath, List<String> command,
                  List<String> addresses, boolean embeddedDns, ContainerConfig container, String rootfs) {
        public Launch {
            command = List.copyOf(command);
            addresses = List.copyOf(addresses);
            rootfs = rootfs == null ? "" : rootfs;
        }

        /** A host binary's launch ({@code berth run}). */
        public Launch(SandboxId id, String name, String hostname, String netnsPath, List<String> command,
                      List<String> addresses, boolean embeddedDns) {
            this(id, name, hostname, netnsPath, command, addresses, embeddedDns, null, "");
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

    /**
     * What became of a sandbox's process started by an earlier daemon.
     *
     * @param running    it still runs; {@code onExit} of {@link #adopt} is called when it ends
     * @param pid        its PID while it runs, else 0
     * @param exitCode   its exit status when it ended, {@link #UNKNOWN_EXIT} when none was recorded
     * @param startedAt  when it started, {@code null} when unknown
     * @param finishedAt when it ended, {@code null} while it runs
     */
    record Adopted(boolean running, long pid, int exitCode, Instant startedAt, Instant finishedAt) {
    }

    /** The exit status of a process whose end was not recorded (its monitor died too). */
    int UNKNOWN_EXIT = 255;

    /**
     * At start-up: finds the process an earlier daemon started for the sandbox. A running one is
     * watched again ({@code onExit} gets its status once it ends, as for {@link #start}); an ended
     * one reports the status its monitor recorded, also when it ended while no daemon ran.
     */
    Adopted adopt(SandboxId id, IntConsumer onExit);

    /**
     * Sends {@code signal} (a Linux signal number) to the sandbox's process (a container's: its
     * PID 1); nothing when it is not running. {@code onExit} reports what the process makes of it.
     */
    void signal(SandboxId id, int signal);

    /**
     * Sends SIGKILL to the sandbox's process, which ends every process in its PID namespace;
     * nothing when it is gone. {@code onExit} reports 137.
     */
    void kill(SandboxId id);

    /**
     * Kills (SIGKILL) every process in the network namespace pinned at {@code netnsPath}: before a
     * sandbox goes, whatever entered it without being its process. Nothing when there is none.
     */
    void killInNamespace(String netnsPath);

    /**
     * At start-up, after every stored sandbox was adopted: kills the process of, and deletes the
     * files of, every sandbox not in {@code known} (a removal that a crash cut short), so no
     * process runs that belongs to no stored sandbox.
     */
    void removeOthers(Set<SandboxId> known);

    /** Where the process's output (stdout and stderr, interleaved) is kept. */
    String logPath(SandboxId id);

    /**
     * Deletes the sandbox's files (resolv.conf, hosts, hostname, log, what its monitor recorded).
     * Succeeds when gone.
     */
    void deleteFiles(SandboxId id);
}
