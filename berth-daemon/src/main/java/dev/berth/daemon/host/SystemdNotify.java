package dev.berth.daemon.host;

import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The daemon's side of systemd's notify protocol ({@code Type=notify}, sd_notify(3)): one
 * datagram per state change to the Unix datagram socket named by {@code NOTIFY_SOCKET} (a path,
 * or {@code @name} in the abstract namespace). {@code READY=1} once the API socket answers,
 * {@code RELOADING=1} with {@code MONOTONIC_USEC=} (systemd 253+ takes the reload's start from
 * it) when a SIGHUP reload begins and {@code READY=1} when it ends, {@code STOPPING=1} when a stop
 * begins; each with a {@code STATUS=} line for {@code systemctl status}.
 *
 * <p>Written over FFM ({@code socket(AF_UNIX, SOCK_DGRAM)} and {@code sendto}): the JDK's
 * {@code DatagramChannel} has no Unix-domain datagrams, and the protocol is a few lines, so no
 * library (libsystemd through FFM would add a native dependency for one call). Without
 * {@code NOTIFY_SOCKET} every call does nothing; a failed send is logged and never stops the
 * daemon, as sd_notify's callers ignore its errors.
 */
public final class SystemdNotify {
    private static final Logger LOG = Logger.getLogger(SystemdNotify.class.getName());
    /** The environment variable systemd sets for a {@code Type=notify} service. */
    public static final String ENV = "NOTIFY_SOCKET";

    private final Optional<String> socket;

    private SystemdNotify(Optional<String> socket) {
        this.socket = socket;
    }

    /**
     * The notifier for {@code NOTIFY_SOCKET} in {@code env}; one that does nothing when it is
     * unset or empty, or (with a warning) names neither an absolute path nor an abstract socket.
     */
    public static SystemdNotify fromEnvironment(Map<String, String> env) {
        String value = env.getOrDefault(ENV, "");
        if (value.isEmpty()) {
            return new SystemdNotify(Optional.empty());
        }
        if (!value.startsWith("/") && !value.startsWith("@")) {
            LOG.warning(ENV + "=" + value + " is neither an absolute path nor an abstract socket (@name): "
                    + "not notifying systemd");
            return new SystemdNotify(Optional.empty());
        }
        return new SystemdNotify(Optional.of(value));
    }

    /** Whether there is a socket to notify. */
    public boolean enabled() {
        return socket.isPresent();
    }

    /** The service is up (at start-up: the API socket answers; after a reload: it is done). */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** A reload begins; {@link #ready} ends it. */
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + Libc.monotonicMicros() + "\nSTATUS=Reloading configuration");
    }

    /** A stop begins. */
    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + oneLine(status));
    }

    /** The text of one datagram; for the log and tests. */
    static String oneLine(String status) {
        return status.replace('\n', ' ');
    }

    private void send(String message) {
        if (socket.isEmpty()) {
            return;
        }
        String target = socket.get();
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            MemorySegment payload = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, payload, ValueLayout.JAVA_BYTE, 0, bytes.length);
            int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            try {
                Libc.sendto(fd, payload, Libc.MSG_NOSIGNAL, Libc.unixAddress(arena, target));
            } finally {
                Libc.close(fd);
            }
        } catch (KernelException | IllegalArgumentException e) {
            LOG.warning("cannot notify systemd at " + ENV + "=" + target + " (" + message.lines().findFirst().orElse("")
                    + "): " + e.getMessage());
        }
    }
}
