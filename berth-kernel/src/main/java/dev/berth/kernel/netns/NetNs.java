package dev.berth.kernel.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;

/**
 * An open file descriptor on a network namespace file ({@code /run/netns/x},
 * {@code /proc/<pid>/ns/net}). The descriptor keeps the namespace alive while open and is what
 * {@code setns} and IFLA_NET_NS_FD take.
 *
 * <p>{@link #call} runs a task inside the namespace on the handle's worker, a platform thread
 * that entered it with setns and never leaves it ({@link NsWorker}): it serves this handle only,
 * so no other namespace's work ever runs on it, and it ends when idle or when the handle closes.
 * Tasks should be short (open a socket, write a sysctl) and must not start threads: threads
 * inherit the namespace of their creator.
 */
public final class NetNs implements AutoCloseable {
    private static final String THREAD_SELF_NS = "/proc/thread-self/ns/net";

    private final int fd;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object workerLock = new Object();
    private NsWorker worker; // guarded by workerLock

    private NetNs(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    public static NetNs open(Path nsFile) {
        String path = nsFile.toString();
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        return new NetNs(fd, path);
    }

    /** The namespace of the calling thread. */
    public static NetNs current() {
        int fd = Libc.open(THREAD_SELF_NS, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        return new NetNs(fd, "current " + nsLink(fd));
    }

    /**
     * Creates a namespace and pins it with a bind mount at {@code bindMountAt}, like
     * {@code ip netns add}: the parent directory is created and made a shared mount point, an
     * empty file is created (EEXIST if it exists), then a fresh platform thread unshares
     * CLONE_NEWNET and bind-mounts its own {@code /proc/thread-self/ns/net} onto the file. That
     * thread then ends; it is the only thread that was ever in the new namespace.
     */
    public static NetNs create(Path bindMountAt) {
        Path file = bindMountAt.toAbsolutePath().normalize();
        String action = "create netns " + file;
        NsMounts.prepareParent(file.getParent(), action);
        try {
            Libc.close(Libc.open(file.toString(), Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0));
        } catch (KernelException e) {
            throw e.during(action);
        }
        try {
            onFreshThread("netns-create", () -> {
                Libc.unshare(Libc.CLONE_NEWNET);
                Libc.mount(THREAD_SELF_NS, file.toString(), "none", Libc.MS_BIND);
                return null;
            });
            return open(file);
        } catch (RuntimeException e) {
            try {
                delete(file);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e instanceof KernelException k ? k.during(action) : e;
        }
    }

    /**
     * Whether {@code file} pins a network namespace other than the calling thread's: a namespace
     * that {@link #create} made and a daemon stop left mounted, which a restart adopts as it is.
     * False for a missing file, a plain file (a create cut short, or the namespace unmounted: the
     * kernel answers ENOTTY), a namespace of another kind, and the caller's own namespace (a bind
     * mount of the host's would put a sandbox's links into the host). One open, one ioctl
     * ({@code NS_GET_NSTYPE}) and two stats; no mount table is read.
     */
    public static boolean isOtherNetNs(Path file) {
        String path = file.toAbsolutePath().normalize().toString();
        int fd;
        try {
            fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        } catch (KernelException e) {
            if (e.isErrno(Errno.ENOENT)) {
                return false;
            }
            throw e.during("inspect netns " + path);
        }
        try {
            if (Libc.ioctl(fd, Libc.NS_GET_NSTYPE) != Libc.CLONE_NEWNET) {
                return false;
            }
            long own = (Long) Files.getAttribute(Path.of(THREAD_SELF_NS), "unix:ino");
            return inodeOf(fd) != own;
        } catch (KernelException e) {
            if (e.isErrno(Errno.ENOTTY) || e.isErrno(Errno.EINVAL)) {
                return false;
            }
            throw e.during("inspect netns " + path);
        } catch (IOException e) {
            throw new UncheckedIOException("inspect netns " + path, e);
        } finally {
            Libc.close(fd);
        }
    }

    /** Unmounts (lazily, MNT_DETACH) and removes a namespace file; succeeds if already gone. */
    public static void delete(Path bindMountAt) {
        String file = bindMountAt.toAbsolutePath().normalize().toString();
        String action = "delete netns " + file;
        try {
            Libc.umount2(file, Libc.MNT_DETACH);
        } catch (KernelException e) {
            // EINVAL: not a mount point (already unmounted or never mounted); ENOENT: no file.
            if (!e.isErrno(Errno.EINVAL) && !e.isErrno(Errno.ENOENT)) {
                throw e.during(action);
            }
        }
        try {
            Libc.unlink(file);
        } catch (KernelException e) {
            if (!e.isErrno(Errno.ENOENT)) {
                throw e.during(action);
            }
        }
    }

    /**
     * Undoes the self bind mount that {@link #create} put on a namespace directory, once no
     * namespace file under it is needed any more; succeeds when there is none.
     */
    public static void releaseDirectory(Path dir) {
        String path = dir.toAbsolutePath().normalize().toString();
        try {
            Libc.umount2(path, Libc.MNT_DETACH);
        } catch (KernelException e) {
            if (!e.isErrno(Errno.EINVAL) && !e.isErrno(Errno.ENOENT)) {
                throw e.during("release netns directory " + path);
            }
        }
    }

    public int fd() {
        if (closed.get()) {
            throw new KernelException("use " + this, Errno.EBADF, "namespace handle is closed");
        }
        return fd;
    }

    /** The path it was opened from, or "current net:[inode]". */
    public String name() {
        return name;
    }

    /** The namespace's inode number: equal inodes mean the same namespace. */
    public long inode() {
        try {
            return inodeOf(fd());
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + this, e);
        }
    }

    /** The inode of what an open namespace fd refers to. */
    private static long inodeOf(int fd) throws IOException {
        return (Long) Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:ino");
    }

    /**
     * Runs {@code task} inside this namespace and returns its result, on this handle's worker: a
     * platform thread that entered the namespace once and stays in it ({@link NsWorker}; it ends
     * after a second without tasks or when the handle closes). Unchecked exceptions and errors
     * propagate as they are; an IOException becomes UncheckedIOException, another checked
     * exception a RuntimeException. Safe to call from virtual threads: the caller itself never
     * changes namespace. Tasks of one handle run one at a time.
     */
    public <T> T call(Callable<T> task) {
        int target = fd();
        TaskOutcome<T> outcome = new TaskOutcome<>(task);
        synchronized (workerLock) {
            if (worker == null || !worker.offer(outcome)) {
                worker = new NsWorker(target, name);
                worker.offer(outcome);
                Thread.ofPlatform().name("netns-" + shortName()).daemon(true).start(worker);
            }
        }
        return outcome.await();
    }

    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    private static <T> T onFreshThread(String threadName, Callable<T> task) {
        TaskOutcome<T> outcome = new TaskOutcome<>(task);
        Thread worker = Thread.ofPlatform().name(threadName).daemon(true).unstarted(outcome);
        worker.start();
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                // The task is short and already changing kernel state: wait for its outcome.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcome.get();
    }

    private String shortName() {
        int slash = name.lastIndexOf('/');
        return slash >= 0 ? name.substring(slash + 1) : name;
    }

    private static String nsLink(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "netns fd " + fd;
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (workerLock) {
                if (worker != null) {
                    worker.close(); // returns once the worker is done with the fd
                    worker = null;
                }
            }
            Libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
