package dev.berth.kernel.sysctl;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;

/**
 * A directory of {@code /proc/sys} (slash form, e.g. {@code net/ipv6/conf}) opened once in the
 * calling thread's network namespace, whose keys are then opened relative to it.
 *
 * <p>Why: {@code /proc/sys/net/ipv6} exists once per network namespace and every copy hashes alike,
 * so resolving the path's {@code ipv6} walks one dentry per namespace. With 1000 sandboxes that is
 * 0.2 ms per sysctl when the caches are warm and over 1 ms after a pause of 50 ms; relative to an
 * open {@code net/ipv6/conf} the same write takes 5-50 µs.
 *
 * <p>Use it only on threads in the namespace it was opened in (the kernel resolves {@code net.*}
 * entries for the calling thread's namespace). A directory the kernel does not have (no IPv6)
 * opens as an unopened one, whose keys are resolved from {@code /proc/sys} as {@link Sysctl} does,
 * as are those of {@link #unopened}.
 */
public final class SysctlDir implements AutoCloseable {
    private final String key;
    private int fd;

    private SysctlDir(String key, int fd) {
        this.key = key;
        this.fd = fd;
    }

    /** {@code key}'s directory, opened in the calling thread's namespace (unopened when it is not there). */
    public static SysctlDir open(String key) {
        String path = Sysctl.path(key);
        try {
            return new SysctlDir(key, Libc.open(path, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0));
        } catch (KernelException e) {
            if (e.errno() == Errno.ENOENT) {
                return unopened(key);
            }
            throw e.during("open sysctl directory " + key);
        }
    }

    /** A directory that holds no descriptor: its keys go through {@link Sysctl} (test doubles use it). */
    public static SysctlDir unopened(String key) {
        Sysctl.path(key);
        return new SysctlDir(key, -1);
    }

    /** The directory's key, as given. */
    public String key() {
        return key;
    }

    /** The full key of {@code rel} below this directory. */
    public String key(String rel) {
        return key + "/" + rel;
    }

    /** Writes {@code rel}'s value (a newline is appended). */
    public synchronized void write(String rel, String value) {
        String full = key(rel);
        Sysctl.path(full);
        if (fd < 0) {
            Sysctl.write(full, value);
            return;
        }
        String action = "write sysctl " + full + "=" + value;
        int file;
        try {
            file = Libc.openat(fd, rel, Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        } catch (KernelException e) {
            throw e.during(action);
        }
        Sysctl.writeFd(file, value, action);
    }

    /** {@link #write}, but a key the kernel does not have is no error; returns whether it was written. */
    public boolean writeIfPresent(String rel, String value) {
        return Sysctl.ifPresent(() -> write(rel, value));
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
    }

    @Override
    public String toString() {
        return "/proc/sys/" + key + (fd < 0 ? " (unopened)" : " (fd " + fd + ")");
    }
}
