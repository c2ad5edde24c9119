package dev.berth.kernel.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The libc calls the kernel layer needs, bound with FFM. Every call captures errno through
 * {@code Linker.Option.captureCallState("errno")} into a segment private to the call: reading the
 * thread's errno after the downcall is unreliable because the JVM may have made other calls in
 * between. A failed call throws {@link KernelException} naming the call and its object.
 *
 * <p>Blocking calls ({@code recv}, {@code read}, {@code write}, {@code sendto}) are retried on
 * EINTR. {@code close} is not: on Linux the descriptor is released even when close reports EINTR.
 */
public final class Libc {
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOCK_NONBLOCK = 0x800;
    /** {@code struct sockaddr_in}'s size. */
    public static final int SOCKADDR_IN_SIZE = 16;
    /** {@code struct pollfd}'s size ({@code fd}, {@code events}, {@code revents}). */
    public static final int POLLFD_SIZE = 8;
    public static final short POLLIN = 1;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_TRUNC = 0x200;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_PATH = 0x200000;
    public static final int O_DIRECTORY = 0x10000;
    public static final int SHUT_WR = 1;
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code sizeof(struct sockaddr_un)}: 2 bytes of family, 108 of path. */
    public static final int SOCKADDR_UN_SIZE = 110;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final long MS_BIND = 0x1000;
    public static final long MS_REC = 0x4000;
    public static final long MS_SHARED = 1L << 20;
    public static final int MNT_DETACH = 2;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVTIMEO = 20;
    public static final int SOL_NETLINK = 270;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code ioctl} on a namespace file: its kind as a {@code CLONE_NEW*} flag ({@code _IO(0xb7, 0x3)}). */
    public static final long NS_GET_NSTYPE = 0xb703;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final int CLOCK_MONOTONIC = 1;

    /*
     * The downcall handles, one holder class each, so that each is made on its first use. Making a
     * handle of a new shape (descriptor and options) spins classes at run time, which the AOT cache
     * does not hold: some milliseconds each on a cold JVM, and compiler work besides. berthd's
     * start-up with an empty store uses 13 of these 33; making all of them was most of the time
     * between Daemon.start and the store being open.
     */
    private static final class Socket {
        static final MethodHandle H = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Bind {
        static final MethodHandle H = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Connect {
        static final MethodHandle H = downcall("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Shutdown {
        static final MethodHandle H = downcall("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Mkfifo {
        static final MethodHandle H = downcall("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Setsockopt {
        static final MethodHandle H = downcall("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Sendto {
        static final MethodHandle H = downcall("sendto",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Recv {
        static final MethodHandle H = downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }
    private static final class Read {
        static final MethodHandle H = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }
    private static final class Write {
        static final MethodHandle H = downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }
    private static final class Close {
        static final MethodHandle H = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class Setns {
        static final MethodHandle H = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Unshare {
        static final MethodHandle H = downcall("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class Malloc {
        static final MethodHandle H = plainDowncall("malloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    }
    private static final class Free {
        static final MethodHandle H = plainDowncall("free", FunctionDescriptor.ofVoid(ADDRESS));
    }
    private static final class Ppoll {
        static final MethodHandle H = plainDowncall("ppoll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    }
    // variadic in C; requests without an argument (as NS_GET_NSTYPE) pass none
    private static final class Ioctl {
        static final MethodHandle H = downcall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG),
                Linker.Option.firstVariadicArg(2));
    }
    // open(2) is variadic: the mode is the first variadic argument.
    private static final class Open {
        static final MethodHandle H = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }
    // openat(2) is variadic like open(2).
    private static final class Openat {
        static final MethodHandle H = downcall("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3));
    }
    private static final class Mount {
        static final MethodHandle H = downcall("mount",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    }
    private static final class Umount2 {
        static final MethodHandle H = downcall("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Unlink {
        static final MethodHandle H = downcall("unlink", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }
    private static final class Syncfs {
        static final MethodHandle H = downcall("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class Lgetxattr {
        static final MethodHandle H = downcall("lgetxattr",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    }
    private static final class Mknod {
        static final MethodHandle H = downcall("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    }
    private static final class Lsetxattr {
        static final MethodHandle H = downcall("lsetxattr",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    }
    private static final class Getpid {
        static final MethodHandle H = downcall("getpid", FunctionDescriptor.of(JAVA_INT));
    }
    private static final class Kill {
        static final MethodHandle H = downcall("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Gettid {
        static final MethodHandle H = downcall("gettid", FunctionDescriptor.of(JAVA_INT));
    }
    private static final class Setpriority {
        static final MethodHandle H = downcall("setpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Umask {
        static final MethodHandle H = downcall("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class Sigaction {
        static final MethodHandle H = downcall("sigaction", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }
    private static final class ClockGettime {
        static final MethodHandle H = downcall("clock_gettime", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }
    private static final class Signal {
        static final MethodHandle H = downcall("signal", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    }
    /** glibc's {@code struct sigaction} on x86_64/aarch64 is 152 bytes; {@code sa_handler} is its first field. */
    private static final long SIGACTION_SIZE = 152;
    private static final long SIG_IGN = 1;

    private Libc() {}

    /**
     * A libc function without errno capture, for calls whose callers need only the result
     * ({@code malloc}, {@code free}, {@link UdpBatch}'s batched socket calls).
     */
    @SuppressWarnings("restricted") // native access is the point of this class; see package-info
    static MethodHandle plainDowncall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LOOKUP.find(name)
                .orElseThrow(() -> new IllegalStateException("libc symbol not found: " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    @SuppressWarnings("restricted") // native access is the point of this class; see package-info
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = LOOKUP.find(name)
                .orElseThrow(() -> new IllegalStateException("libc symbol not found: " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static int errno(MemorySegment state) {
        // Since Java 22 the var handle takes a base offset coordinate.
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    /** One downcall with errno captured into {@code state}; {@code arena} is for C strings. */
    @FunctionalInterface
    private interface Call {
        long invoke(Arena arena, MemorySegment state) throws Throwable;
    }

    /** Runs the call; a negative result throws a {@link KernelException} naming {@code action} and errno. */
    private static long checked(String action, Call call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = invoke(call, arena, state);
            if (r < 0) {
                throw new KernelException(action, errno(state));
            }
            return r;
        }
    }

    /** Like {@link #checked}, but a call interrupted by a signal (EINTR) is made again. */
    private static long retried(String action, Call call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            while (true) {
                long r = invoke(call, arena, state);
                if (r >= 0) {
                    return r;
                }
                int err = errno(state);
                if (err != Errno.EINTR) {
                    throw new KernelException(action, err);
                }
            }
        }
    }

    private static long invoke(Call call, Arena arena, MemorySegment state) {
        try {
            return call.invoke(arena, state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int socket(int domain, int type, int protocol) {
        return (int) checked("socket(family " + domain + ", protocol " + protocol + ")",
                (arena, state) -> (int) Socket.H.invokeExact(state, domain, type, protocol));
    }

    public static void bind(int fd, MemorySegment address) {
        checked("bind socket fd " + fd,
                (arena, state) -> (int) Bind.H.invokeExact(state, fd, address, (int) address.byteSize()));
    }

    /**
     * {@code connect(2)} of a socket to {@code address}; retried on EINTR (for a Unix socket the
     * kernel completes or refuses it at once).
     */
    public static void connect(int fd, MemorySegment address) {
        retried("connect socket fd " + fd,
                (arena, state) -> (int) Connect.H.invokeExact(state, fd, address, (int) address.byteSize()));
    }

    /**
     * A {@code struct sockaddr_un} for {@code path} in {@code arena}; longer than the 107 bytes
     * {@code sun_path} holds is an {@link IllegalArgumentException} (use a {@code /proc/self/fd/N/}
     * path to a directory opened with {@link #O_PATH} for a long one). A path starting with
     * {@code @} names a socket in the abstract namespace (see {@link #abstractAddress}).
     */
    public static MemorySegment unixAddress(Arena arena, String path) {
        byte[] bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (path.startsWith("@")) {
            return abstractAddress(arena, bytes, path);
        }
        if (bytes.length > SOCKADDR_UN_SIZE - 3) {
            throw new IllegalArgumentException("unix socket path longer than 107 bytes: " + path);
        }
        MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE);
        address.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, address, JAVA_BYTE, 2, bytes.length);
        return address;
    }

    /**
     * An address in the abstract namespace, written {@code @name} (as systemd writes
     * {@code NOTIFY_SOCKET}): a NUL byte, then the name, and a length that ends with the name,
     * since every byte of {@code sun_path} up to the length is part of an abstract name.
     */
    private static MemorySegment abstractAddress(Arena arena, byte[] bytes, String path) {
        if (bytes.length > SOCKADDR_UN_SIZE - 2) {
            throw new IllegalArgumentException("abstract unix socket name longer than 107 bytes: " + path);
        }
        MemorySegment address = arena.allocate(2 + bytes.length);
        address.set(JAVA_SHORT, 0, (short) AF_UNIX);
        // bytes[0] is the '@', which becomes the leading NUL
        MemorySegment.copy(bytes, 1, address, JAVA_BYTE, 3, bytes.length - 1);
        return address;
    }

    /** A {@code struct sockaddr_in} for {@code address}:{@code port} in {@code arena}. */
    public static MemorySegment inetAddress(Arena arena, Inet4Address address, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port);
        }
        MemorySegment a = arena.allocate(SOCKADDR_IN_SIZE, 4);
        a.set(JAVA_SHORT, 0, (short) AF_INET);
        a.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
        MemorySegment.copy(address.getAddress(), 0, a, JAVA_BYTE, 4, 4);
        return a;
    }

    /**
     * {@code ppoll(2)}: waits until one of the {@code count} {@code struct pollfd}s in {@code fds}
     * is ready or {@code timeout} (a {@code struct timespec}: seconds, nanoseconds; the caller's,
     * so that a loop allocates nothing) has passed. Returns how many are ready, 0 on the timeout,
     * -1 on an error such as EINTR (errno is not captured: a waiting loop just looks again).
     */
    public static int ppoll(MemorySegment fds, int count, MemorySegment timeout) {
        try {
            return (int) Ppoll.H.invokeExact(fds, (long) count, timeout, MemorySegment.NULL);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code shutdown(2)}: {@link #SHUT_WR} ends the sending side (the peer reads end of file). */
    public static void shutdown(int fd, int how) {
        checked("shutdown socket fd " + fd, (arena, state) -> (int) Shutdown.H.invokeExact(state, fd, how));
    }

    /** {@code send(2)} of the whole segment on a connected socket (one message on SOCK_SEQPACKET); retries on EINTR. */
    public static long send(int fd, MemorySegment buffer, int flags) {
        return retried("send socket fd " + fd, (arena, state) -> (long) Sendto.H.invokeExact(state, fd, buffer,
                buffer.byteSize(), flags, MemorySegment.NULL, 0));
    }

    /** {@code mkfifo(3)}: a named pipe at {@code path}; EEXIST when something is there. */
    public static void mkfifo(String path, int mode) {
        checked("mkfifo " + path, (arena, state) -> (int) Mkfifo.H.invokeExact(state, arena.allocateFrom(path), mode));
    }

    public static void setsockopt(int fd, int level, int option, MemorySegment value) {
        checked("setsockopt(fd " + fd + ", level " + level + ", option " + option + ")",
                (arena, state) -> (int) Setsockopt.H.invokeExact(state, fd, level, option, value,
                        (int) value.byteSize()));
    }

    /** Sends the whole segment as one datagram to {@code address}; retries on EINTR. */
    public static long sendto(int fd, MemorySegment buffer, int flags, MemorySegment address) {
        return retried("sendto socket fd " + fd, (arena, state) -> (long) Sendto.H.invokeExact(state, fd, buffer,
                buffer.byteSize(), flags, address, (int) address.byteSize()));
    }

    /** Receives into the segment; returns the datagram length (larger than the segment with MSG_TRUNC). */
    public static long recv(int fd, MemorySegment buffer, int flags) {
        return retried("recv socket fd " + fd,
                (arena, state) -> (long) Recv.H.invokeExact(state, fd, buffer, buffer.byteSize(), flags));
    }

    /** One read(2) into the segment, retried on EINTR; returns the byte count (0 at end of file). */
    public static long read(int fd, MemorySegment buffer) {
        return retried("read fd " + fd,
                (arena, state) -> (long) Read.H.invokeExact(state, fd, buffer, buffer.byteSize()));
    }

    /** One write(2) of the segment, retried on EINTR; returns the byte count written. */
    public static long write(int fd, MemorySegment buffer) {
        return retried("write fd " + fd,
                (arena, state) -> (long) Write.H.invokeExact(state, fd, buffer, buffer.byteSize()));
    }

    public static void close(int fd) {
        int r;
        int err;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            try {
                r = (int) Close.H.invokeExact(state, fd);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            err = errno(state);
        }
        // EINTR on close still released the descriptor on Linux; retrying could close a reused fd.
        if (r < 0 && err != Errno.EINTR) {
            throw new KernelException("close fd " + fd, err);
        }
    }

    /** Moves the calling thread into the namespace behind {@code fd}. Only call on platform threads. */
    public static void setns(int fd, int nstype) {
        checked("setns fd " + fd, (arena, state) -> (int) Setns.H.invokeExact(state, fd, nstype));
    }

    /** Gives the calling thread a new namespace of the given kinds. Only call on platform threads. */
    public static void unshare(int flags) {
        checked("unshare(0x" + Integer.toHexString(flags) + ")",
                (arena, state) -> (int) Unshare.H.invokeExact(state, flags));
    }

    /**
     * {@code size} bytes from {@code malloc(3)}, freed when {@code arena} closes, and not written
     * to: unlike {@link Arena#allocate}, which zeroes what it hands out, the pages of a large
     * buffer that is mostly unused (a netlink receive buffer sized for the largest dump) stay out
     * of the resident set until something is written into them.
     */
    @SuppressWarnings("restricted") // native access is the point of this class; see package-info
    public static MemorySegment uninitialised(Arena arena, long size) {
        MemorySegment raw;
        try {
            raw = (MemorySegment) Malloc.H.invokeExact(size);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (raw.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("malloc(" + size + ")");
        }
        return raw.reinterpret(size, arena, Libc::free);
    }

    private static void free(MemorySegment segment) {
        try {
            Free.H.invokeExact(segment);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ioctl(2)} without an argument (e.g. {@link #NS_GET_NSTYPE}); returns what it returns. */
    public static int ioctl(int fd, long request) {
        return (int) checked("ioctl(fd " + fd + ", 0x" + Long.toHexString(request) + ")",
                (arena, state) -> (int) Ioctl.H.invokeExact(state, fd, request));
    }

    public static int open(String path, int flags, int mode) {
        return (int) checked("open " + path,
                (arena, state) -> (int) Open.H.invokeExact(state, arena.allocateFrom(path), flags, mode));
    }

    /** {@code openat(2)}: {@code path} relative to the directory open as {@code dirFd}. */
    public static int openat(int dirFd, String path, int flags, int mode) {
        return (int) checked("open " + path, (arena, state) -> (int) Openat.H.invokeExact(state, dirFd,
                arena.allocateFrom(path), flags, mode));
    }

    /** mount(2) without data; {@code fstype} may be null (bind mounts, propagation changes). */
    public static void mount(String source, String target, String fstype, long flags) {
        checked("mount " + (source.isEmpty() ? "" : source + " on ") + target, (arena, state) -> {
            MemorySegment type = fstype == null ? MemorySegment.NULL : arena.allocateFrom(fstype);
            return (int) Mount.H.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target), type, flags,
                    MemorySegment.NULL);
        });
    }

    /**
     * mount(2) with a data string, e.g. an overlay's {@code lowerdir=...,upperdir=...,workdir=...};
     * the kernel takes at most one page of it.
     */
    public static void mount(String source, String target, String fstype, long flags, String data) {
        checked("mount " + source + " on " + target, (arena, state) -> (int) Mount.H.invokeExact(state,
                arena.allocateFrom(source), arena.allocateFrom(target), arena.allocateFrom(fstype), flags,
                arena.allocateFrom(data)));
    }

    /** {@code syncfs(2)} of the file system holding {@code path}: every write to it reaches the disk. */
    public static void syncfs(String path) {
        int fd = open(path, O_RDONLY | O_CLOEXEC, 0);
        try {
            checked("syncfs " + path, (arena, state) -> (int) Syncfs.H.invokeExact(state, fd));
        } finally {
            close(fd);
        }
    }

    /** File-type bits of {@code mknod(2)}'s mode. */
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;

    /** glibc's {@code makedev}: a device number from major and minor. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffL) << 8) | (minor & 0xffL) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    /**
     * {@code mknod(2)}: a device node or FIFO at {@code path}; {@code mode} holds the type bits and
     * the permissions (the umask applies). An overlay whiteout is a character device 0/0.
     */
    public static void mknod(String path, int mode, long device) {
        checked("mknod " + path, (arena, state) -> (int) Mknod.H.invokeExact(state, arena.allocateFrom(path), mode, device));
    }

    /** {@code lsetxattr(2)}: sets an extended attribute of {@code path} itself (a symlink is not followed). */
    public static void lsetxattr(String path, String name, byte[] value) {
        checked("setxattr " + name + " on " + path, (arena, state) -> {
            MemorySegment bytes = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, bytes, JAVA_BYTE, 0, value.length);
            return (int) Lsetxattr.H.invokeExact(state, arena.allocateFrom(path), arena.allocateFrom(name), bytes,
                    (long) value.length, 0);
        });
    }

    /** {@code lgetxattr(2)}: an extended attribute of {@code path} itself (at most 64 KiB). */
    public static byte[] lgetxattr(String path, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(65536);
            long n = checked("getxattr " + name + " of " + path, (a, state) -> (long) Lgetxattr.H.invokeExact(state,
                    a.allocateFrom(path), a.allocateFrom(name), buffer, 65536L));
            return buffer.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    public static void umount2(String target, int flags) {
        checked("umount " + target,
                (arena, state) -> (int) Umount2.H.invokeExact(state, arena.allocateFrom(target), flags));
    }

    public static void unlink(String path) {
        checked("unlink " + path, (arena, state) -> (int) Unlink.H.invokeExact(state, arena.allocateFrom(path)));
    }

    /** {@code kill(2)}: sends {@code signal} to process {@code pid}; ESRCH when it is gone. */
    public static void kill(int pid, int signal) {
        checked("kill " + pid + " " + signal, (arena, state) -> (int) Kill.H.invokeExact(state, pid, signal));
    }

    /**
     * {@code clock_gettime(CLOCK_MONOTONIC)} in microseconds: the clock systemd's
     * {@code MONOTONIC_USEC=} is read on ({@link System#nanoTime} has no documented clock).
     */
    public static long monotonicMicros() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(16, 8);
            checked("clock_gettime(CLOCK_MONOTONIC)",
                    (a, state) -> (int) ClockGettime.H.invokeExact(state, CLOCK_MONOTONIC, timespec));
            return timespec.get(JAVA_LONG, 0) * 1_000_000L + timespec.get(JAVA_LONG, 8) / 1_000L;
        }
    }

    public static int getpid() {
        return noArgs(Getpid.H);
    }

    public static int gettid() {
        return noArgs(Gettid.H);
    }

    /**
     * {@code setpriority(PRIO_PROCESS, tid, nice)}: the nice value of one thread (on Linux a thread
     * id names that thread only). Making a thread nicer is always allowed; making it less nice
     * again needs {@code CAP_SYS_NICE} (or {@code RLIMIT_NICE}).
     */
    public static void setThreadNice(int tid, int nice) {
        checked("setpriority(" + tid + ", " + nice + ")", (arena, state) -> (int) Setpriority.H.invokeExact(state, 0, tid, nice));
    }

    /** Sets the process's file mode creation mask (shared by all threads); returns the previous one. umask cannot fail. */
    public static int umask(int mask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            try {
                return (int) Umask.H.invokeExact(state, mask);
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
    }

    /**
     * Gives an ignored signal back its default action and says whether it was ignored. A process
     * started under {@code nohup} (or by anything that ignores SIGHUP) inherits SIGHUP ignored, and
     * the JVM then silently refuses a handler for it; Go programs such as dockerd take the signal
     * back when they ask for it, and so must the daemon before it installs its reload handler. A
     * signal that is not ignored is left exactly as it is.
     */
    public static boolean unignoreSignal(int signal) {
        return checked("sigaction(" + signal + ")", (arena, state) -> {
            MemorySegment old = arena.allocate(SIGACTION_SIZE, 8);
            int r = (int) Sigaction.H.invokeExact(state, signal, MemorySegment.NULL, old);
            if (r < 0 || old.get(JAVA_LONG, 0) != SIG_IGN) {
                return r < 0 ? r : 0;
            }
            MemorySegment previous = (MemorySegment) Signal.H.invokeExact(state, signal, MemorySegment.NULL);
            return previous.address() == -1 ? -1 : 1; // SIG_ERR is (void *) -1
        }) == 1;
    }

    private static int noArgs(MethodHandle handle) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            try {
                return (int) handle.invokeExact(state);
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
    }
}
