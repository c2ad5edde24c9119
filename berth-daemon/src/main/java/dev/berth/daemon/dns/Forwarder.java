package dev.berth.daemon.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.xbill.DNS.Rcode;

/**
 * Sends queries the sandboxes' names cannot answer to the upstream servers, tried in order: a
 * server is skipped on an I/O error, a timeout, a reply that is not a valid answer to the query,
 * SERVFAIL or REFUSED ({@link ForwardedQuery} has the rules); the first answer (NXDOMAIN included)
 * is relayed, written again within the client's size with TC set when it does not fit; SERVFAIL
 * when all failed or there are none; REFUSED at once beyond {@code maxInFlight} queries. A UDP
 * datagram with another id is not a reply at all: the attempt keeps waiting for the real one. UDP uses one fresh socket per attempt (a random
 * source port) on the forwarder's own selector thread; a truncated UDP reply and queries that
 * came over TCP go over TCP on a small pool. All threads are created by this object's thread or
 * its starter, so they stay in the daemon's own namespace: host-only upstreams (127.0.0.53) work.
 */
public final class Forwarder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Forwarder.class.getName());
    private static final int TCP_THREADS = 4;

    /**
     * @param upstreams   at most {@link Upstreams#MAX}, tried in order
     * @param timeout     per attempt
     * @param maxInFlight beyond this, REFUSED
     */
    public record Settings(List<InetSocketAddress> upstreams, Duration timeout, int maxInFlight) {
        public static final int MAX_IN_FLIGHT = 1024;
        public static final Duration TIMEOUT = Duration.ofSeconds(2);

        public Settings {
            upstreams = List.copyOf(upstreams);
        }

        public static Settings of(List<InetSocketAddress> upstreams) {
            return new Settings(upstreams, TIMEOUT, MAX_IN_FLIGHT);
        }
    }

    /** One forwarded query and where it stands. Only the forwarder's thread touches it. */
    private static final class Attempt {
        final ForwardedQuery query;
        final boolean tcp;
        final Consumer<byte[]> reply;
        /** The upstreams when the query came: a reload swaps the list, not the one an attempt walks. */
        final List<InetSocketAddress> upstreams;
        int index;
        long deadline;
        DatagramChannel channel;

        Attempt(ForwardedQuery query, boolean tcp, Consumer<byte[]> reply, List<InetSocketAddress> upstreams) {
            this.query = query;
            this.tcp = tcp;
            this.reply = reply;
            this.upstreams = upstreams;
        }
    }

    private final Settings settings;
    private volatile List<InetSocketAddress> upstreams;
    private final SelectorThread loop;
    private final Queue<Attempt> submitted = new ConcurrentLinkedQueue<>();
    private final Set<Attempt> live = new HashSet<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65535);
    private final ExecutorService tcpPool;
    private final TcpExchange tcpExchange;

    public Forwarder(Settings settings) {
        this.settings = settings;
        this.upstreams = settings.upstreams();
        this.loop = new SelectorThread(LOG, "DNS forwarder", "berth-dns-forward", this::turn);
        this.tcpExchange = new TcpExchange(settings.timeout());
        this.tcpPool = Executors.newFixedThreadPool(TCP_THREADS, Thread.ofPlatform().name("berth-dns-tcp-", 0)
                .daemon(true).factory());
    }

    public void start() {
        loop.start();
    }

    /**
     * Replaces the upstream servers (a reload changed {@code dns}): queries from now on use them,
     * queries in flight finish with the servers they started with.
     */
    public void upstreams(List<InetSocketAddress> servers) {
        upstreams = List.copyOf(servers);
    }

    /** Queries now waiting for an upstream. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Forwards {@code query}; {@code reply} gets the bytes to send back to the client exactly
     * once, on one of the forwarder's threads (or on the caller's, for REFUSED/SERVFAIL at once).
     *
     * @param tcp whether the client asked over TCP: the upstream is asked over TCP too, and the
     *            reply may be up to 65535 bytes
     */
    public void forward(byte[] query, boolean tcp, Consumer<byte[]> reply) {
        ForwardedQuery parsed = ForwardedQuery.of(query, tcp);
        if (parsed == null) {
            deliver(reply, Responses.error(query, Rcode.FORMERR));
            return;
        }
        List<InetSocketAddress> servers = upstreams;
        if (servers.isEmpty() || !loop.isOpen()) {
            deliver(reply, Responses.error(query, Rcode.SERVFAIL));
            return;
        }
        if (inFlight.incrementAndGet() > settings.maxInFlight()) {
            inFlight.decrementAndGet();
            deliver(reply, Responses.error(query, Rcode.REFUSED));
            return;
        }
        submitted.add(new Attempt(parsed, tcp, reply, servers));
        loop.wakeup();
    }

    /** One pass of the selector thread (a failure is logged by {@link SelectorThread}, never stops it). */
    private void turn(Selector selector) throws IOException {
        selector.select(this::readable, waitMillis());
        for (Attempt a; (a = submitted.poll()) != null; ) {
            if (a.tcp) {
                viaTcp(a, null);
            } else {
                sendUdp(a);
            }
        }
        expire();
    }

    private long waitMillis() {
        long next = Long.MAX_VALUE;
        for (Attempt a : live) {
            next = Math.min(next, a.deadline);
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, (next - System.nanoTime()) / 1_000_000 + 1);
    }

    /** Sends the query to upstream {@code a.index} over a fresh UDP socket, or moves on. */
    private void sendUdp(Attempt a) {
        while (a.index < a.upstreams.size()) {
            InetSocketAddress upstream = a.upstreams.get(a.index);
            try {
                DatagramChannel ch = DatagramChannel.open();
                a.channel = ch;
                ch.configureBlocking(false);
                ch.connect(upstream);
                ch.write(ByteBuffer.wrap(a.query.wire()));
                ch.register(loop.selector(), SelectionKey.OP_READ, a);
                a.deadline = System.nanoTime() + settings.timeout().toNanos();
                live.add(a);
                return;
            } catch (IOException e) {
                closeChannel(a);
                a.index++;
            }
        }
        finish(a, a.query.servfail());
    }

    private void readable(SelectionKey key) {
        Attempt a = (Attempt) key.attachment();
        buffer.clear();
        int n;
        try {
            n = a.channel.read(buffer);
        } catch (IOException e) {
            n = -1; // e.g. ICMP port unreachable: this server failed
        }
        if (n == 0) {
            return;
        }
        ForwardedQuery.Checked checked = null;
        if (n > 0) {
            byte[] reply = new byte[n];
            buffer.flip().get(reply);
            if (!a.query.sameId(reply)) {
                return; // not a reply to this query (a stray or forged datagram): keep waiting
            }
            checked = a.query.check(reply);
        }
        live.remove(a);
        closeChannel(a);
        if (checked != null && checked.verdict() == ForwardedQuery.Verdict.TRUNCATED) {
            viaTcp(a, checked);
        } else if (checked != null && checked.verdict() == ForwardedQuery.Verdict.ANSWER) {
            finish(a, a.query.relay(checked.message()));
        } else {
            a.index++;
            sendUdp(a);
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Attempt a : List.copyOf(live)) {
            if (now - a.deadline >= 0) {
                live.remove(a);
                closeChannel(a);
                a.index++;
                sendUdp(a);
            }
        }
    }

    /**
     * Hands the query to the TCP pool, from upstream {@code a.index} on; {@code fallback} (a
     * truncated UDP reply, relayed as it is) if all fail. Over TCP a reply with TC set is an answer
     * too: there is nothing bigger to ask for.
     */
    private void viaTcp(Attempt a, ForwardedQuery.Checked fallback) {
        tcpPool.execute(() -> {
            for (int i = a.index; i < a.upstreams.size(); i++) {
                byte[] reply = tcpExchange.ask(a.upstreams.get(i), a.query.wire());
                ForwardedQuery.Checked checked = reply == null ? null : a.query.check(reply);
                if (checked != null && checked.verdict() != ForwardedQuery.Verdict.FAILED) {
                    finish(a, a.query.relay(checked.message()));
                    return;
                }
            }
            finish(a, fallback != null ? a.query.relay(fallback.message()) : a.query.servfail());
        });
    }

    private void finish(Attempt a, byte[] reply) {
        inFlight.decrementAndGet();
        deliver(a.reply, reply);
    }

    private static void deliver(Consumer<byte[]> reply, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        try {
            reply.accept(bytes);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "DNS reply not delivered: " + e.getMessage());
        }
    }

    private static void closeChannel(Attempt a) {
        if (a.channel != null) {
            try {
                a.channel.close();
            } catch (IOException ignored) {
                // closing a datagram socket cannot fail in a way that matters here
            }
            a.channel = null;
        }
    }

    @Override
    public void close() {
        loop.close(() -> {
            tcpPool.shutdownNow();
            live.forEach(Forwarder::closeChannel);
        });
    }

    @Override
    public String toString() {
        return "Forwarder" + Arrays.toString(upstreams.toArray());
    }
}
