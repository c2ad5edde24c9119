package dev.berth.kernel.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Batched UDP over IPv4 for one thread: up to {@link #capacity} datagrams ({@link #CAPACITY} by
 * default) read from a socket with one {@code recvmmsg}, replies to them queued and sent with one
 * {@code sendmmsg}, the senders' addresses kept in native memory (no {@code InetSocketAddress}
 * per datagram, as {@code DatagramChannel.receive} makes one whenever the sender changes) and
 * nothing allocated per datagram. A client on connected sockets ({@link #connected}) reads without
 * the senders' addresses, queues its datagrams with {@link #queue} and sends them with
 * {@link #send}. The buffers (about 100 KiB by default) are this object's, for its lifetime; not
 * thread-safe.
 *
 * <p>The socket is a {@link DatagramChannel}'s, read and written behind its back: {@link #fd} finds
 * its descriptor through the JDK's {@code sun.nio.ch.SelChImpl}, which needs
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (berthd's jar says so in its manifest);
 * without it {@link #fd} returns -1 and the caller keeps to the channel's own methods. The caller
 * must keep the descriptor valid while it uses it: a non-blocking channel registered with a
 * selector closes its descriptor only when the selector's thread deregisters it, so the thread
 * that selects is the one to use this.
 */
public final class UdpBatch implements AutoCloseable {
    /** Datagrams per call, by default. */
    public static final int CAPACITY = 16;
    /** Bytes per datagram, by default; a longer one is cut and {@link #truncated} says so. */
    public static final int SLOT = 4096;
    private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    private static final int SKF_AD_OFF = -0x1000;
    private static final int SKF_AD_RANDOM = 56;
    /** struct mmsghdr (x86_64, aarch64): msghdr (56 bytes) + msg_len, padded to 64. */
    private static final long MMSG = 64;
    private static final long IOVEC = 16;
    private static final long SOCKADDR = Libc.SOCKADDR_IN_SIZE;
    private static final long NAME = 0;
    private static final long NAMELEN = 8;
    private static final long IOV = 16;
    private static final long IOVLEN = 24;
    private static final long FLAGS = 48;
    private static final long LEN = 56;

    private static final MethodHandle RECVMMSG = Libc.plainDowncall("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMMSG = Libc.plainDowncall("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofShared();
    private final int capacity;
    private final int slot;
    /** Whether datagrams are read with their senders' addresses (false: {@link #connected}). */
    private final boolean named;
    private final MemorySegment recvVec;
    private final MemorySegment recvBufs;
    private final MemorySegment names;
    private final long namesAddress;
    private final MemorySegment sendVec;
    private final MemorySegment sendIovs;
    private final MemorySegment sendBufs;
    private int received;
    /** How many entries of the receive vector the kernel may have written since they were reset. */
    private int dirty;
    private int queued;

    /** {@link #CAPACITY} datagrams of {@link #SLOT} bytes. */
    public UdpBatch() {
        this(CAPACITY, SLOT);
    }

    /**
     * @param capacity datagrams per call
     * @param slot     bytes per datagram; a longer one read is cut ({@link #truncated}), a longer
     *                 one to send is refused
     */
    public UdpBatch(int capacity, int slot) {
        this(capacity, slot, true);
    }

    /**
     * A batch for connected sockets (a client's): datagrams are read without their senders'
     * addresses (the socket's peer sent them; {@link #sender} and {@link #reply} do not apply) and
     * sent with {@link #queue} and {@link #send}; the kernel copies no address either way.
     */
    public static UdpBatch connected(int capacity, int slot) {
        return new UdpBatch(capacity, slot, false);
    }

    private UdpBatch(int capacity, int slot, boolean named) {
        if (capacity < 1 || slot < 1) {
            throw new IllegalArgumentException("capacity " + capacity + ", slot " + slot);
        }
        this.capacity = capacity;
        this.slot = slot;
        this.named = named;
        recvVec = arena.allocate(capacity * MMSG, 8);
        recvBufs = arena.allocate((long) capacity * slot, 8);
        names = arena.allocate(capacity * SOCKADDR, 8);
        namesAddress = names.address();
        MemorySegment recvIovs = arena.allocate(capacity * IOVEC, 8);
        sendVec = arena.allocate(capacity * MMSG, 8);
        sendIovs = arena.allocate(capacity * IOVEC, 8);
        sendBufs = arena.allocate((long) capacity * slot, 8);
        for (int i = 0; i < capacity; i++) {
            recvIovs.set(ADDRESS, i * IOVEC, recvBufs.asSlice((long) i * slot, slot));
            recvIovs.set(JAVA_LONG, i * IOVEC + 8, slot);
            recvVec.set(ADDRESS, i * MMSG + IOV, recvIovs.asSlice(i * IOVEC, IOVEC));
            recvVec.set(JAVA_LONG, i * MMSG + IOVLEN, 1);
            if (named) {
                recvVec.set(ADDRESS, i * MMSG + NAME, names.asSlice(i * SOCKADDR, SOCKADDR));
                recvVec.set(JAVA_INT, i * MMSG + NAMELEN, (int) SOCKADDR);
            }
            sendIovs.set(ADDRESS, i * IOVEC, sendBufs.asSlice((long) i * slot, slot));
            sendVec.set(ADDRESS, i * MMSG + IOV, sendIovs.asSlice(i * IOVEC, IOVEC));
            sendVec.set(JAVA_LONG, i * MMSG + IOVLEN, 1);
        }
    }

    /** Datagrams per call. */
    public int capacity() {
        return capacity;
    }

    /**
     * The descriptor of {@code channel}, or -1 when the JDK does not let this module see it
     * (no {@code --add-exports java.base/sun.nio.ch}) or the channel is not the JDK's.
     */
    public static int fd(DatagramChannel channel) {
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            if (!selCh.isInstance(channel)) {
                return -1;
            }
            return (int) selCh.getMethod("getFDVal").invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Makes the kernel hand each datagram for the {@code SO_REUSEPORT} group of {@code channel}
     * (all sockets bound to its address and port with the option) to one of its first
     * {@code sockets} sockets at random, instead of by a hash of the sender's address and port:
     * a classic BPF program ({@code ld rand; mod #sockets; ret a}) set with
     * {@code SO_ATTACH_REUSEPORT_CBPF}. With the hash, a few busy clients can all land on one socket
     * (4 clients on 2 sockets: 1 time in 8 all on one, 1 in 2 three on one). Returns false when the
     * descriptor is not to be had ({@link #fd}); the hash stays then.
     *
     * @throws KernelException when the kernel refuses the program
     */
    public static boolean spreadRandomly(DatagramChannel channel, int sockets) {
        int fd = fd(channel);
        if (fd < 0) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment filter = a.allocate(3 * 8L, 8);
            instruction(filter, 0, 0x20, SKF_AD_OFF + SKF_AD_RANDOM); // BPF_LD | BPF_W | BPF_ABS: a = random
            instruction(filter, 1, 0x94, sockets);                  // BPF_ALU | BPF_MOD | BPF_K: a %= sockets
            instruction(filter, 2, 0x16, 0);                        // BPF_RET | BPF_A
            MemorySegment prog = a.allocate(16, 8);                 // struct sock_fprog
            prog.set(JAVA_SHORT, 0, (short) 3);
            prog.set(ADDRESS, 8, filter);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, prog);
        }
        return true;
    }

    private static void instruction(MemorySegment filter, int i, int code, int k) {
        filter.set(JAVA_SHORT, i * 8L, (short) code);
        filter.set(JAVA_INT, i * 8L + 4, k);
    }

    /**
     * Reads what is waiting on {@code fd} (non-blocking), at most {@link #capacity} datagrams,
     * replacing the last batch; returns how many (0 when none, or on an error such as EAGAIN).
     * Replies queued since the last {@link #flush} must have been flushed. Only the entries the
     * last call filled (and the one after them, in case a failed read wrote it) are reset first:
     * the kernel writes no others.
     */
    public int receive(int fd) {
        for (int i = 0; i < dirty; i++) {
            if (named) {
                recvVec.set(JAVA_INT, i * MMSG + NAMELEN, (int) SOCKADDR);
            }
            recvVec.set(JAVA_INT, i * MMSG + FLAGS, 0);
        }
        int r;
        try {
            r = (int) RECVMMSG.invokeExact(fd, recvVec, capacity, Libc.MSG_DONTWAIT, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException("recvmmsg", t);
        }
        received = Math.max(0, r);
        dirty = Math.min(capacity, received + 1);
        return received;
    }

    /** Datagram {@code i}'s length as read (at most the slot size). */
    public int length(int i) {
        return Math.min(slot, recvVec.get(JAVA_INT, i * MMSG + LEN));
    }

    /**
     * Whether datagram {@code i} was longer than the slot size (its tail was dropped) or, read with
     * its sender's address, not from IPv4.
     */
    public boolean truncated(int i) {
        return (recvVec.get(JAVA_INT, i * MMSG + FLAGS) & Libc.MSG_TRUNC) != 0
                || named && names.get(JAVA_SHORT, i * SOCKADDR) != Libc.AF_INET;
    }

    /** Copies datagram {@code i} into {@code to} and returns its length. */
    public int copy(int i, byte[] to) {
        int n = Math.min(length(i), to.length);
        MemorySegment.copy(recvBufs, JAVA_BYTE, (long) i * slot, to, 0, n);
        return n;
    }

    /** Datagram {@code i}'s sender (allocates: for the paths that keep it). */
    public InetSocketAddress sender(int i) {
        requireNamed();
        byte[] a = new byte[4];
        MemorySegment.copy(names, JAVA_BYTE, i * SOCKADDR + 4, a, 0, 4);
        int port = Short.toUnsignedInt(names.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), i * SOCKADDR + 2));
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** Queues {@code reply[0..length)} to datagram {@code i}'s sender; a reply over the slot size (or a full queue) is not queued. */
    public boolean reply(int i, byte[] reply, int length) {
        requireNamed();
        int j = slotFor(reply, length);
        if (j < 0) {
            return false;
        }
        sendVec.set(JAVA_LONG, j * MMSG + NAME, namesAddress + i * SOCKADDR); // msg_name: the sender's sockaddr_in
        sendVec.set(JAVA_INT, j * MMSG + NAMELEN, (int) SOCKADDR);
        return true;
    }

    /**
     * Queues {@code datagram[0..length)} for a connected socket (no address: the socket's peer);
     * false when it is over the slot size or the queue is full. Sent by {@link #send} (or
     * {@link #flush}).
     */
    public boolean queue(byte[] datagram, int length) {
        int j = slotFor(datagram, length);
        if (j < 0) {
            return false;
        }
        if (named) { // a reply may have put an address there
            sendVec.set(JAVA_LONG, j * MMSG + NAME, 0L);
            sendVec.set(JAVA_INT, j * MMSG + NAMELEN, 0);
        }
        return true;
    }

    private void requireNamed() {
        if (!named) {
            throw new IllegalStateException("a batch for connected sockets reads no senders");
        }
    }

    /** The next send slot with {@code bytes[0..length)} in it, or -1. */
    private int slotFor(byte[] bytes, int length) {
        if (length > slot || queued == capacity) {
            return -1;
        }
        int j = queued++;
        MemorySegment.copy(bytes, 0, sendBufs, JAVA_BYTE, (long) j * slot, length);
        sendIovs.set(JAVA_LONG, j * IOVEC + 8, length);
        return j;
    }

    /**
     * Sends the queued datagrams on {@code fd} with one {@code sendmmsg}: the first ones the kernel
     * takes go and the rest are dropped (a client then knows which of its queries left). Returns
     * how many went (0 on an error).
     */
    public int send(int fd) {
        try {
            return queued == 0 ? 0 : Math.max(0, (int) SENDMMSG.invokeExact(fd, sendVec, queued, Libc.MSG_DONTWAIT));
        } catch (Throwable t) {
            throw new IllegalStateException("sendmmsg", t);
        } finally {
            queued = 0;
        }
    }

    /**
     * Sends the queued replies on {@code fd}; a reply the kernel refuses (a full socket buffer,
     * an unreachable sender) is dropped, as a single send's would be. Returns how many went.
     */
    public int flush(int fd) {
        int sent = 0;
        int from = 0;
        try {
            while (from < queued) {
                int r = (int) SENDMMSG.invokeExact(fd, sendVec.asSlice(from * MMSG), queued - from, Libc.MSG_DONTWAIT);
                if (r > 0) {
                    sent += r;
                    from += r;
                } else {
                    from++; // the first one failed: drop it, go on with the rest
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException("sendmmsg", t);
        } finally {
            queued = 0;
        }
        return sent;
    }

    @Override
    public void close() {
        arena.close();
    }
}
