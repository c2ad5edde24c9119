package dev.berth.kernel.netlink;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelErrors;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;

/**
 * A raw netlink socket speaking request/ack and dump exchanges. Not thread-safe: the owner
 * serialises calls. The socket lives in the network namespace of the thread that opened it, for
 * its whole life.
 *
 * <p>Kernel quirks handled here: failures arrive as NLMSG_ERROR carrying {@code -errno}, never
 * through errno, so every request sets NLM_F_ACK and waits for the answer with its sequence
 * number; messages with other sequence numbers (left over from an earlier, failed exchange) are
 * skipped. One datagram can hold many messages. A dump interrupted by a concurrent change is
 * flagged NLM_F_DUMP_INTR and is retried.
 */
final class NetlinkSocket implements AutoCloseable {
    private static final int RECV_BUFFER = 64 * 1024;
    private static final int RECV_TIMEOUT_SECONDS = 30;
    private static final int DUMP_ATTEMPTS = 5;

    private final int fd;
    private final Arena arena;
    private final MemorySegment kernelAddress;
    private final KernelErrors errors;
    private int seq;
    private boolean closed;

    private NetlinkSocket(int fd, Arena arena, KernelErrors errors) {
        this.fd = fd;
        this.errors = errors;
        this.arena = arena;
        this.kernelAddress = sockaddrNl(arena);
        this.seq = (int) (System.nanoTime() & 0x3fffffff);
    }

    /** {@code errors} is told of every error the kernel answers a request or dump with. */
    static NetlinkSocket open(int protocol, KernelErrors errors) {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        Arena arena = Arena.ofShared();
        try {
            Libc.bind(fd, sockaddrNl(arena)); // nl_pid 0: the kernel assigns a port id
            // Extended acks put the kernel's reason text in errors; capped acks keep them small.
            // Both are best effort: old kernels lack them and that only costs detail.
            setIntOption(fd, arena, Libc.SOL_NETLINK, Uapi.NETLINK_EXT_ACK, 1);
            setIntOption(fd, arena, Libc.SOL_NETLINK, Uapi.NETLINK_CAP_ACK, 1);
            // A receive timeout turns a lost answer into EAGAIN instead of a hung caller.
            MemorySegment tv = arena.allocate(16, 8);
            tv.set(ValueLayout.JAVA_LONG, 0, RECV_TIMEOUT_SECONDS);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv);
            return new NetlinkSocket(fd, arena, errors);
        } catch (RuntimeException e) {
            arena.close();
            Libc.close(fd);
            throw e;
        }
    }

    private static void setIntOption(int fd, Arena arena, int level, int option, int value) {
        MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
        v.set(ValueLayout.JAVA_INT, 0, value);
        try {
            Libc.setsockopt(fd, level, option, v);
        } catch (KernelException ignored) {
            // optional feature, see open()
        }
    }

    private static MemorySegment sockaddrNl(Arena arena) {
        // struct sockaddr_nl { u16 family; u16 pad; u32 pid; u32 groups; }
        MemorySegment sa = arena.allocate(12, 4);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
        return sa;
    }

    /**
     * Sends a request with NLM_F_ACK already in its flags and returns the replies that came before
     * the ACK (for a GET of one object, that object). A non-zero error becomes a KernelException.
     */
    List<NlMessage> request(NlWriter message, String action) {
        return requestUnless(message, action);
    }

    /**
     * {@link #request}, but an error with one of the {@code absent} errnos (the answer "no such
     * object" to a lookup or a deletion) returns null instead of throwing: these are expected
     * answers, not failures, and an exception per connect for them showed in profiles. The
     * error observer is still told of them.
     */
    List<NlMessage> requestUnless(NlWriter message, String action, int... absent) {
        int s = nextSeq();
        send(message.build(s), action);
        List<NlMessage> replies = new ArrayList<>();
        while (true) {
            for (NlMessage m : receive(action)) {
                if (m.seq() != s) {
                    continue;
                }
                if (m.type() == Uapi.NLMSG_ERROR) {
                    int errno = m.errorCode();
                    for (int a : absent) {
                        if (errno == a) {
                            errors.failed(errno); // counted as every kernel error is, tolerated ones too
                            return null;
                        }
                    }
                    throwIfError(m, action);
                    return replies;
                }
                replies.add(m);
            }
        }
    }

    /**
     * Sends an nfnetlink batch in one datagram: {@code begin}, the {@code messages} (each with
     * NLM_F_ACK in its flags), {@code end}; then reads until every message is answered. The kernel
     * processes the whole batch while the send runs and answers each message in order (an ack, or
     * its error: it goes on after an error, then undoes everything); a failed commit, or a batch it
     * cannot take at all, is answered on {@code begin}'s sequence number, and that ends the read.
     * The first error (in message order) becomes a KernelException naming its message from
     * {@code names}.
     */
    void batch(NlWriter begin, List<NlWriter> messages, List<String> names, NlWriter end, String action) {
        ByteArrayOutputStream datagram = new ByteArrayOutputStream();
        int beginSeq = nextSeq();
        datagram.writeBytes(begin.build(beginSeq));
        int[] seqs = new int[messages.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = nextSeq();
            datagram.writeBytes(messages.get(i).build(seqs[i]));
        }
        int endSeq = nextSeq();
        datagram.writeBytes(end.build(endSeq));
        send(datagram.toByteArray(), action);
        int answered = 0;
        boolean[] done = new boolean[seqs.length];
        int failedAt = -1;
        NlMessage failure = null;
        while (answered < seqs.length) {
            for (NlMessage m : receive(action)) {
                if (m.type() != Uapi.NLMSG_ERROR) {
                    continue;
                }
                if (m.seq() == beginSeq || m.seq() == endSeq) {
                    if (m.errorCode() != 0) {
                        throwIfError(m, action + " (the batch as a whole)");
                    }
                    continue;
                }
                int i = indexOf(seqs, m.seq());
                if (i < 0 || done[i]) {
                    continue; // left over from an earlier exchange
                }
                done[i] = true;
                answered++;
                if (m.errorCode() != 0 && (failedAt < 0 || i < failedAt)) {
                    failedAt = i;
                    failure = m;
                }
            }
        }
        if (failure != null) {
            throwIfError(failure, action + ": " + names.get(failedAt));
        }
    }

    private static int indexOf(int[] seqs, int seq) {
        for (int i = 0; i < seqs.length; i++) {
            if (seqs[i] == seq) {
                return i;
            }
        }
        return -1;
    }

    /** Runs a dump (NLM_F_DUMP set by the caller) and returns every message up to NLMSG_DONE. */
    List<NlMessage> dump(NlWriter message, String action) {
        for (int attempt = 1; ; attempt++) {
            List<NlMessage> parts = new ArrayList<>();
            boolean interrupted = dumpOnce(message, action, parts);
            if (!interrupted) {
                return parts;
            }
            if (attempt == DUMP_ATTEMPTS) {
                throw new KernelException(action, Errno.EAGAIN, "dump kept being interrupted by changes");
            }
        }
    }

    private boolean dumpOnce(NlWriter message, String action, List<NlMessage> parts) {
        int s = nextSeq();
        send(message.build(s), action);
        boolean interrupted = false;
        while (true) {
            for (NlMessage m : receive(action)) {
                if (m.seq() != s) {
                    continue;
                }
                interrupted |= (m.flags() & Uapi.NLM_F_DUMP_INTR) != 0;
                if (m.type() == Uapi.NLMSG_ERROR) {
                    throwIfError(m, action);
                    return interrupted;
                }
                if (m.type() == Uapi.NLMSG_DONE) {
                    // NLMSG_DONE carries an int status; negative means the dump failed midway.
                    if (m.payload().limit() >= 4 && m.payload().getInt(0) < 0) {
                        throw failure(action, -m.payload().getInt(0), m.extAckMessage());
                    }
                    return interrupted;
                }
                parts.add(m);
            }
        }
    }

    private void throwIfError(NlMessage m, String action) {
        int errno = m.errorCode();
        if (errno != 0) {
            throw failure(action, errno, m.extAckMessage());
        }
    }

    /** The kernel's error answer, counted. */
    private KernelException failure(String action, int errno, String detail) {
        errors.failed(errno);
        return new KernelException(action, errno, detail);
    }

    private int nextSeq() {
        seq = (seq + 1) & 0x7fffffff;
        return seq == 0 ? ++seq : seq;
    }

    private void send(byte[] bytes, String action) {
        ensureOpen(action);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(bytes.length, 8);
            out.copyFrom(MemorySegment.ofArray(bytes));
            Libc.sendto(fd, out, 0, kernelAddress);
        } catch (KernelException e) {
            errors.failed(e.errno());
            throw e.during(action);
        }
    }

    /**
     * One datagram, its messages copied out. The buffer is taken for the call only (not zeroed;
     * malloc hands the same memory back call after call): kept with each socket, as it was, every
     * sandbox's socket held a page or two of its own resident, ~4-8 MiB at 1000 sandboxes.
     */
    private List<NlMessage> receive(String action) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buffer = Libc.uninitialised(call, RECV_BUFFER);
            long n;
            try {
                n = Libc.recv(fd, buffer, Libc.MSG_TRUNC);
            } catch (KernelException e) {
                errors.failed(e.errno());
                throw e.during(action);
            }
            if (n > RECV_BUFFER) {
                throw new KernelException(action, Errno.EMSGSIZE, "netlink datagram of " + n + " bytes truncated");
            }
            return NlMessage.split(buffer.asSlice(0, n).asByteBuffer());
        }
    }

    private void ensureOpen(String action) {
        if (closed) {
            throw new KernelException(action, Errno.EBADF, "netlink socket is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Libc.close(fd);
        } finally {
            arena.close();
        }
    }
}
