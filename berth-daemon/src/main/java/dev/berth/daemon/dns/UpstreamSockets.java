package dev.berth.daemon.dns;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The forwarder's UDP sockets: per upstream a few sockets, each bound to a port drawn at random
 * from the ephemeral range and connected to the upstream (so the kernel drops datagrams from any
 * other address or port, and reports ICMP errors). A query goes out on a socket picked at random,
 * with a query id drawn at random among those not waiting on that socket; a socket that has sent
 * {@code renewAfter} queries, or is older than a minute, is replaced by one on a new random port
 * when it is next picked, and closed once its last query is answered or timed out. So an
 * off-path attacker must guess the port of one of a few sockets out of ~28 000 and the id out of
 * 65 536, and the guess goes stale within a few hundred queries. The random numbers come from a
 * {@link SecureRandom}.
 *
 * <p>Not thread-safe: the forwarder's selector thread alone uses it.
 */
final class UpstreamSockets<T> {
    private static final System.Logger LOG = System.getLogger(UpstreamSockets.class.getName());
    private static final long MAX_AGE_NANOS = 60_000_000_000L;
    private static final int BIND_TRIES = 16;
    /** Linux's default {@code net.ipv4.ip_local_port_range}. */
    private static final int DEFAULT_LOW = 32768;
    private static final int DEFAULT_HIGH = 60999;

    /** One open socket to one upstream and the queries waiting for their reply on it, by query id. */
    static final class Socket<T> {
        private final DatagramChannel channel;
        private final InetSocketAddress upstream;
        private final int port;
        private final long born;
        private final Map<Integer, T> pending = new HashMap<>();
        private int uses;
        private boolean retired;

        private Socket(DatagramChannel channel, InetSocketAddress upstream, int port, long born) {
            this.channel = channel;
            this.upstream = upstream;
            this.port = port;
            this.born = born;
        }

        DatagramChannel channel() {
            return channel;
        }

        int port() {
            return port;
        }

        /** The query waiting with this id, no longer waiting; null when none waits with it. */
        T take(int id) {
            return pending.remove(id);
        }

        /** The query with this id no longer waits (timed out, or not sent). */
        void release(int id) {
            pending.remove(id);
        }

        /** Every waiting query, none waiting any more. */
        List<T> drain() {
            List<T> all = new ArrayList<>(pending.values());
            pending.clear();
            return all;
        }
    }

    private final Selector selector;
    private final int perUpstream;
    private final int renewAfter;
    private final int[] range;
    private final SecureRandom random = new SecureRandom();
    private final byte[] entropy = new byte[512];
    private int used = entropy.length;
    private final Map<InetSocketAddress, Socket<T>[]> pools = new HashMap<>();
    /** Every socket not closed yet, in a pool or retired. */
    private final Set<Socket<T>> open = new HashSet<>();

    UpstreamSockets(Selector selector, int perUpstream, int renewAfter) {
        this.selector = selector;
        this.perUpstream = perUpstream;
        this.renewAfter = renewAfter;
        this.range = portRange();
    }

    /**
     * A socket to {@code upstream}, picked at random among its pool's; a slot that is empty, used
     * up or too old gets a new socket on a new random port first.
     */
    Socket<T> pick(InetSocketAddress upstream) throws IOException {
        Socket<T>[] pool = pools.computeIfAbsent(upstream, u -> newPool());
        int slot = below(pool.length);
        Socket<T> s = pool[slot];
        long now = System.nanoTime();
        if (s == null || s.uses >= renewAfter || now - s.born > MAX_AGE_NANOS) {
            Socket<T> fresh = open(upstream, now);
            pool[slot] = fresh;
            if (s != null) {
                retire(s);
            }
            s = fresh;
        }
        return s;
    }

    /** Reserves a random id that no other query on {@code s} waits with, for {@code a}. */
    int reserve(Socket<T> s, T a) {
        int id;
        do {
            id = below(65536);
        } while (s.pending.containsKey(id));
        s.pending.put(id, a);
        s.uses++;
        return id;
    }

    /** The socket failed (a send or receive error): it leaves its pool, and closes once nothing waits on it. */
    void failed(Socket<T> s) {
        Socket<T>[] pool = pools.get(s.upstream);
        if (pool != null) {
            for (int i = 0; i < pool.length; i++) {
                if (pool[i] == s) {
                    pool[i] = null;
                }
            }
        }
        retire(s);
    }

    /** After a query on {@code s} stopped waiting: a retired socket with nothing waiting is closed. */
    void settle(Socket<T> s) {
        if (s.retired && s.pending.isEmpty()) {
            close(s);
        }
    }

    /** The pools of upstreams not in {@code current} are retired (their sockets close once idle). */
    void retireAllBut(List<InetSocketAddress> current) {
        for (InetSocketAddress upstream : List.copyOf(pools.keySet())) {
            if (!current.contains(upstream)) {
                for (Socket<T> s : pools.remove(upstream)) {
                    if (s != null) {
                        retire(s);
                    }
                }
            }
        }
    }

    /** The local ports of the pooled sockets to {@code upstream}. */
    Set<Integer> ports(InetSocketAddress upstream) {
        Set<Integer> ports = new HashSet<>();
        Socket<T>[] pool = pools.get(upstream);
        if (pool != null) {
            for (Socket<T> s : pool) {
                if (s != null) {
                    ports.add(s.port);
                }
            }
        }
        return ports;
    }

    /** Closes every socket. */
    void close() {
        for (Socket<T> s : List.copyOf(open)) {
            close(s);
        }
        pools.clear();
    }

    private void retire(Socket<T> s) {
        s.retired = true;
        settle(s);
    }

    private Socket<T> open(InetSocketAddress upstream, long now) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            int port = bindRandom(ch);
            ch.configureBlocking(false);
            ch.connect(upstream);
            Socket<T> s = new Socket<>(ch, upstream, port, now);
            ch.register(selector, SelectionKey.OP_READ, s);
            open.add(s);
            return s;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private Socket<T>[] newPool() {
        return (Socket<T>[]) new Socket<?>[perUpstream];
    }

    /** Binds to a random port of the ephemeral range; the kernel's choice when many in a row are taken. */
    private int bindRandom(DatagramChannel ch) throws IOException {
        for (int i = 0; i < BIND_TRIES; i++) {
            int port = range[0] + below(range[1] - range[0] + 1);
            try {
                ch.bind(new InetSocketAddress(port));
                return port;
            } catch (BindException e) {
                // taken: draw again
            }
        }
        ch.bind(new InetSocketAddress(0));
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    private void close(Socket<T> s) {
        open.remove(s);
        try {
            s.channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close upstream socket: " + e.getMessage());
        }
    }

    /** A uniformly random number in [0, bound), bound at most 65536, from buffered SecureRandom bytes. */
    private int below(int bound) {
        int mask = Integer.highestOneBit(Math.max(1, bound - 1)) * 2 - 1;
        while (true) {
            if (used + 2 > entropy.length) {
                random.nextBytes(entropy);
                used = 0;
            }
            int v = ((entropy[used] & 0xff) << 8 | (entropy[used + 1] & 0xff)) & mask;
            used += 2;
            if (v < bound) {
                return v;
            }
        }
    }

    /** The kernel's ephemeral port range in this namespace, else Linux's default. */
    private static int[] portRange() {
        try {
            String[] words = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            int lo = Integer.parseInt(words[0]);
            int hi = Integer.parseInt(words[1]);
            if (lo >= 1024 && hi <= 65535 && lo < hi) {
                return new int[] {lo, hi};
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: the default
        }
        return new int[] {DEFAULT_LOW, DEFAULT_HIGH};
    }
}
