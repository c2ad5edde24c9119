package dev.berth.kernel.sysctl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import dev.berth.kernel.netns.NetNs;

/**
 * Reads and writes {@code /proc/sys}. The {@code net.*} tree belongs to the network namespace of
 * the thread that opens the file, so the plain methods act on the calling thread's namespace and
 * the {@link NetNs} overloads go through {@link NetNs#call}.
 *
 * <p>Keys come in dotted form ({@code net.ipv4.ip_forward}) or slash form
 * ({@code net/ipv6/conf/br-x.5/accept_ra}). Use the slash form when a component (an interface
 * name) contains dots: the dotted form turns every dot into a slash.
 *
 * <p>Files are read and written with raw syscalls so a rejected value surfaces as its errno
 * (EINVAL, EPERM...) in a {@link KernelException}.
 */
public final class Sysctl {
    private static final String ROOT = "/proc/sys/";

    private Sysctl() {}

    /** The value, trimmed, in the calling thread's network namespace. */
    public static String read(String key) {
        String action = "read sysctl " + key;
        return readFd(open(path(key), Libc.O_RDONLY, action), action);
    }

    /** Writes the value (a newline is appended) in the calling thread's network namespace. */
    public static void write(String key, String value) {
        String action = "write sysctl " + key + "=" + value;
        writeFd(open(path(key), Libc.O_WRONLY, action), value, action);
    }

    /** Reads the file open as {@code fd} to its end, trimmed, and closes it. */
    static String readFd(int fd, String action) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            StringBuilder out = new StringBuilder();
            long n;
            while ((n = Libc.read(fd, buf)) > 0) {
                out.append(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            }
            return out.toString().trim();
        } catch (KernelException e) {
            throw e.during(action);
        } finally {
            Libc.close(fd);
        }
    }

    /** Writes {@code value} and a newline to the file open as {@code fd} in one write, and closes it. */
    static void writeFd(int fd, String value, String action) {
        byte[] bytes = (value + "\n").getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            // proc handlers take the whole value in one write; a short write means it was cut.
            long n = Libc.write(fd, arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes));
            if (n != bytes.length) {
                throw new KernelException(action, "short write: " + n + " of " + bytes.length + " bytes");
            }
        } catch (KernelException e) {
            throw e.action().equals(action) ? e : e.during(action);
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * {@link #write(String, String)}, but a key the kernel does not have (ENOENT: an IPv6 key on a
     * kernel without IPv6, an interface that is gone) is no error. Returns whether it was written.
     */
    public static boolean writeIfPresent(String key, String value) {
        return ifPresent(() -> write(key, value));
    }

    /** Runs {@code write}; an ENOENT from it means the key is not there: false instead of an error. */
    static boolean ifPresent(Runnable write) {
        try {
            write.run();
            return true;
        } catch (KernelException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
            return false;
        }
    }

    /** {@link #read(String)} inside {@code ns}. */
    public static String read(NetNs ns, String key) {
        path(key); // reject a bad key before starting a thread
        return ns.call(() -> read(key));
    }

    /** {@link #write(String, String)} inside {@code ns}. */
    public static void write(NetNs ns, String key, String value) {
        path(key);
        ns.run(() -> write(key, value));
    }

    /** Maps a key to its file under /proc/sys; rejects keys that would leave that tree. */
    static String path(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("sysctl key is empty");
        }
        String rel = key.indexOf('/') >= 0 ? key : key.replace('.', '/');
        while (rel.startsWith("/")) {
            rel = rel.substring(1);
        }
        for (String part : rel.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("invalid sysctl key: " + key);
            }
        }
        return ROOT + rel;
    }

    private static int open(String path, int flags, String action) {
        try {
            return Libc.open(path, flags | Libc.O_CLOEXEC, 0);
        } catch (KernelException e) {
            throw e.during(action);
        }
    }
}
