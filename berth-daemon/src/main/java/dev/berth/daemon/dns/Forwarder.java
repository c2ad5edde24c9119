package dev.berth.daemon.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Sends queries the sandboxes' names cannot answer to the upstream servers, tried in order: a
 * server is skipped on an I/O error, a timeout, a reply that is not a valid answer to the query,
 * SERVFAIL or REFUSED ({@link ForwardedQuery} has the rules); the first answer (NXDOMAIN included)
 * is relayed, written again within the client's size with TC set when it does not fit; SERVFAIL
 * when all failed or there are none; REFUSED at once beyond {@code maxInFlight} queries.
 *
 * <p>UDP goes through {@link UpstreamSockets}: per upstream a few connected sockets, each bound to
 * a port drawn at random and replaced after a number of queries, and a fresh random query id per
 * query on its socket (the client's id is put back in the reply). A reply counts only on the
 * socket, from the server and with the id the query went out with (the kernel filters the source
 * of a connected socket); any other datagram is ignored and the attempt keeps waiting. A
 * truncated UDP reply and queries that came over TCP go over TCP on a small pool. The UDP work
 * runs in an {@link Engine}: the forwarder's own thread has one (for {@link #forward} callers:
 * TCP clients, tests), and each DNS server thread has its own ({@link #engine}), so a UDP
 * client's query and its reply never change threads.
 *
 * <p>Answers may come from the {@link AnswerCache} ({@link Settings#cache}): positive answers for
 * their TTL, negative ones with an SOA for RFC 2308's, negative ones without for
 * {@link Settings#negativeTtl}; the cache is emptied when the upstreams change. A DNS thread asks
 * it first from the query's bytes ({@link Engine#cached}), before dnsjava reads the query. All threads are created by this object's thread or its starter, so they stay in the
 * daemon's own namespace: host-only upstreams (127.0.0.53) work.
 */
public final class Forwarder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Forwarder.class.getName());
    private static final int TCP_THREADS = 4;
    private static final int READ_BURST = 64;

    /**
     * @param upstreams          at most {@link Upstreams#MAX}, tried in order
     * @param timeout            per attempt
     * @param maxInFlight        beyond this, REFUSED
     * @param socketsPerUpstream UDP sockets kept open per upstream
     * @param renewAfter         queries a UDP socket sends before it is replaced by one on a new port
     * @param cache              whether answers are cached for their TTL (daemon.json {@code dns-cache})
     * @param cacheEntries       at most this many cached answers
     * @param negativeTtl        seconds a cached negative answer without an SOA is kept (daemon.json
     *                           {@code dns-neg-ttl}); 0: not kept
     */
    public record Settings(List<InetSocketAddress> upstreams, Duration timeout, int maxInFlight,
                           int socketsPerUpstream, int renewAfter, boolean cache, int cacheEntries,
                           long negativeTtl) {
        public static final int MAX_IN_FLIGHT = 1024;
        public static final Duration TIMEOUT = Duration.ofSeconds(2);
        public static final int SOCKETS_PER_UPSTREAM = 8;
        public static final int RENEW_AFTER = 200;
        public static final int CACHE_ENTRIES = 4096;

        public Settings {
            upstreams = List.copyOf(upstreams);
            if (socketsPerUpstream < 1 || renewAfter < 1 || cacheEntries < 1) {
                throw new IllegalArgumentException("socketsPerUpstream, renewAfter and cacheEntries must be positive");
            }
            if (negativeTtl < 0 || negativeTtl > AnswerCache.MAX_TTL) {
                throw new IllegalArgumentException("negativeTtl must be 0.." + AnswerCache.MAX_TTL);
            }
        }

        /** The default socket pool, no cache. */
        public Settings(List<InetSocketAddress> upstreams, Duration timeout, int maxInFlight) {
            this(upstreams, timeout, maxInFlight, SOCKETS_PER_UPSTREAM, RENEW_AFTER, false, CACHE_ENTRIES, 0);
        }

        /** The daemon's settings: default limits, the cache on, no negative answer without an SOA kept. */
        public static Settings of(List<InetSocketAddress> upstreams) {
            return new Settings(upstreams, TIMEOUT, MAX_IN_FLIGHT, SOCKETS_PER_UPSTREAM, RENEW_AFTER, true,
                    CACHE_ENTRIES, 0);
        }

        public Settings withCache(boolean on) {
            return new Settings(upstreams, timeout, maxInFlight, socketsPerUpstream, renewAfter, on, cacheEntries,
                    negativeTtl);
        }

        public Settings withNegativeTtl(long seconds) {
            return new Settings(upstreams, timeout, maxInFlight, socketsPerUpstream, renewAfter, cache, cacheEntries,
                    seconds);
        }
    }

    /** One forwarded query and where it stands. Only the forwarder's thread touches it (TCP: its pool thread). */
    static final class Attempt {
        final ForwardedQuery query;
        final boolean tcp;
        final Consumer<byte[]> reply;
        /** The upstreams when the query came: a reload swaps the list, not the one an attempt walks. */
        final List<InetSocketAddress> upstreams;
        /** Where the cache keeps the answer; null when it may not be cached. */
        final AnswerCache.Key cacheKey;
        int index;
        long deadline;
        /** The socket the current UDP attempt went out on (null when none is waiting) and its query id there. */
        UpstreamSockets.Socket<Attempt> socket;
        int upstreamId;
        /** The current UDP attempt's entry in its engine's timeouts. */
        Timeout timeout;

        /** The UDP attempt no longer waits: off its socket (the caller's business) and out of the timeouts. */
        void stopWaiting() {
            socket = null;
            if (timeout != null) {
                timeout.attempt = null;
                timeout = null;
            }
        }

        Attempt(ForwardedQuery query, boolean tcp, Consumer<byte[]> reply, List<InetSocketAddress> upstreams,
                AnswerCache.Key cacheKey) {
            this.query = query;
            this.tcp = tcp;
            this.reply = reply;
            this.upstreams = upstreams;
            this.cacheKey = cacheKey;
        }
    }

    /**
     * An attempt's deadline as it was when queued (a later send of the same attempt queues
     * another). Detached from its attempt as soon as the reply comes, so that an answered query
     * is not kept reachable until its deadline passes; a detached one at the head of the deque
     * leaves it at the engine's next turn ({@link Engine#expire}), so that in the usual case
     * (replies in the order of the queries) it dies young instead of waiting out the timeout: at
     * 50k queries a second, 2 s of them are 100k objects that every young collection would copy
     * and that then fill the old generation.
     */
    private static final class Timeout {
        Attempt attempt;
        final long deadline;

        Timeout(Attempt attempt, long deadline) {
            this.attempt = attempt;
            this.deadline = deadline;
        }
    }

    private final Settings settings;
    private volatile List<InetSocketAddress> upstreams;
    private volatile boolean caching;
    private volatile long negativeTtl;
    private final AnswerCache cache;
    private final SelectorThread loop;
    /** The forwarder's own thread's engine: for {@link #forward} callers (TCP clients, tests). */
    private final Engine own;
    private final Queue<Attempt> submitted = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService tcpPool;
    private final TcpExchange tcpExchange;

    public Forwarder(Settings settings) {
        this.settings = settings;
        this.upstreams = settings.upstreams();
        this.caching = settings.cache();
        this.cache = new AnswerCache(settings.cacheEntries(), settings.negativeTtl());
        this.negativeTtl = settings.negativeTtl();
        this.loop = new SelectorThread(LOG, "DNS forwarder", "berth-dns-forward", this::turn);
        this.own = new Engine(loop.selector());
        this.tcpExchange = new TcpExchange(settings.timeout());
        this.tcpPool = Executors.newFixedThreadPool(TCP_THREADS, Thread.ofPlatform().name("berth-dns-tcp-", 0)
                .daemon(true).factory());
    }

    public void start() {
        loop.start();
    }

    /**
     * Replaces the upstream servers (a reload changed {@code dns}): queries from now on use them,
     * queries in flight finish with the servers they started with. The cache is emptied; each
     * engine retires its sockets to the old servers at its next turn.
     */
    public void upstreams(List<InetSocketAddress> servers) {
        upstreams = List.copyOf(servers);
        cache.clear();
        loop.wakeup();
    }

    /** Turns the answer cache on or off (a reload changed {@code dns-cache}); off empties it. */
    public void cache(boolean on) {
        cache(on, negativeTtl);
    }

    /**
     * Turns the answer cache on or off and sets how long negative answers without an SOA are kept
     * (a reload changed {@code dns-cache} or {@code dns-neg-ttl}); off, or another negative TTL,
     * empties it.
     */
    public synchronized void cache(boolean on, long negativeSeconds) {
        boolean changed = negativeSeconds != negativeTtl;
        cache.negativeTtl(negativeSeconds);
        negativeTtl = negativeSeconds;
        caching = on;
        if (!on || changed) {
            cache.clear();
        }
    }

    /** Seconds a negative answer without an SOA is kept (0: not kept). */
    public long negativeTtl() {
        return negativeTtl;
    }

    /** Whether answers are cached. */
    public boolean caching() {
        return caching;
    }

    /** Queries now waiting for an upstream. */
    public int inFlight() {
        return inFlight.get();
    }

    /** For tests: the local ports of the forwarder's own thread's open UDP sockets to {@code upstream}. */
    Set<Integer> ports(InetSocketAddress upstream) {
        CompletableFuture<Set<Integer>> ports = new CompletableFuture<>();
        tasks.add(() -> ports.complete(own.sockets.ports(upstream)));
        loop.wakeup();
        return ports.join();
    }

    /**
     * For tests: a plain query on the forwarder's own thread as a DNS server thread takes it: the
     * cache ({@link Engine#cached}), then {@link Engine#forwardPlain} ({@code key} is copied first).
     */
    void forwardPlain(byte[] query, AnswerCache.Key key, Consumer<byte[]> reply) {
        AnswerCache.Key mine = key.copy();
        tasks.add(() -> {
            byte[] out = new byte[4096];
            int n = own.cached(mine, query, out, System.nanoTime());
            if (n >= 0) {
                deliver(reply, Arrays.copyOf(out, n));
            } else {
                own.forwardPlain(query, mine, reply);
            }
        });
        loop.wakeup();
    }

    /**
     * A forwarding engine for a caller's selector thread (a DNS server thread), so that a UDP
     * query goes upstream and its reply back to the client on that thread: no hand-off. Its
     * sockets are opened by that thread, which must be in the daemon's own namespace.
     */
    public Engine engine(Selector selector) {
        return new Engine(selector);
    }

    /**
     * Forwards {@code query} from the forwarder's own thread; {@code reply} gets the bytes to send
     * back to the client exactly once, on one of the forwarder's threads (or on the caller's, for
     * a cached answer and for REFUSED/SERVFAIL at once).
     *
     * @param tcp whether the client asked over TCP: the upstream is asked over TCP too, and the
     *            reply may be up to 65535 bytes
     */
    public void forward(byte[] query, boolean tcp, Consumer<byte[]> reply) {
        submit(query, ForwardedQuery.of(query, tcp), reply);
    }

    /** As {@link #forward(byte[], boolean, Consumer)}, with the query already read by dnsjava (not changed after). */
    public void forward(byte[] query, Message message, boolean tcp, Consumer<byte[]> reply) {
        submit(query, ForwardedQuery.of(query, message, tcp), reply);
    }

    private void submit(byte[] query, ForwardedQuery parsed, Consumer<byte[]> reply) {
        Attempt a = admit(query, parsed, reply);
        if (a != null) {
            submitted.add(a);
            loop.wakeup();
        }
    }

    /**
     * The checks before a query goes upstream: FORMERR for a query without a question, SERVFAIL
     * without upstreams, the cached answer, REFUSED beyond the in-flight limit (each delivered at
     * once, and null returned); else the attempt to send, counted in flight.
     */
    private Attempt admit(byte[] query, ForwardedQuery parsed, Consumer<byte[]> reply) {
        if (parsed == null) {
            deliver(reply, Responses.error(query, Rcode.FORMERR));
            return null;
        }
        List<InetSocketAddress> servers = servers(query, reply);
        if (servers == null) {
            return null;
        }
        AnswerCache.Key key = caching ? AnswerCache.Key.of(parsed) : null;
        if (key != null) {
            byte[] cached = cache.get(key, query, System.nanoTime());
            if (cached != null) {
                deliver(reply, cached);
                return null;
            }
        }
        return attempt(parsed, reply, servers, key);
    }

    /** The upstreams to ask, or null when there are none (or the forwarder is closed): then SERVFAIL went to {@code reply}. */
    private List<InetSocketAddress> servers(byte[] query, Consumer<byte[]> reply) {
        List<InetSocketAddress> servers = upstreams;
        if (servers.isEmpty() || !loop.isOpen()) {
            deliver(reply, Responses.error(query, Rcode.SERVFAIL));
            return null;
        }
        return servers;
    }

    /** The attempt for a query to send, or null when {@link Settings#maxInFlight} are: then REFUSED went to {@code reply}. */
    private Attempt attempt(ForwardedQuery query, Consumer<byte[]> reply, List<InetSocketAddress> servers,
                            AnswerCache.Key key) {
        if (inFlight.incrementAndGet() > settings.maxInFlight()) {
            inFlight.decrementAndGet();
            deliver(reply, Responses.error(query.wire(), Rcode.REFUSED));
            return null;
        }
        return new Attempt(query, query.tcp(), reply, servers, key);
    }

    /** One pass of the forwarder's own thread (a failure is logged by {@link SelectorThread}, never stops it). */
    private void turn(Selector selector) throws IOException {
        long wait = own.waitMillis();
        selector.select(own::readable, wait);
        for (Runnable t; (t = tasks.poll()) != null; ) {
            t.run();
        }
        for (Attempt a; (a = submitted.poll()) != null; ) {
            if (a.tcp) {
                viaTcp(a, null);
            } else {
                own.send(a);
            }
        }
        own.expire();
    }

    /**
     * UDP forwarding on one selector thread: its own {@link UpstreamSockets}, timeouts and buffer.
     * Every method but the constructor runs on that thread. The cache, the in-flight count, the
     * upstreams and the TCP pool are the forwarder's, shared by all engines.
     */
    public final class Engine {
        private final UpstreamSockets<Attempt> sockets;
        /** UDP attempts in the order they were sent, which is their deadlines' order (one timeout for all). */
        private final ArrayDeque<Timeout> timeouts = new ArrayDeque<>();
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(65535);
        private List<InetSocketAddress> seen;

        private Engine(Selector selector) {
            this.sockets = new UpstreamSockets<>(selector, settings.socketsPerUpstream(), settings.renewAfter());
            this.seen = upstreams;
        }

        /**
         * Forwards a UDP client's query (already read by dnsjava) on this thread; {@code reply}
         * gets the bytes for the client exactly once: on this thread, or on a TCP pool thread
         * when the upstream's reply was truncated.
         */
        public void forward(byte[] query, Message message, Consumer<byte[]> reply) {
            Attempt a = admit(query, ForwardedQuery.of(query, message, false), reply);
            if (a != null) {
                send(a);
            }
        }

        /**
         * Forwards a plain UDP query that {@link PlainAnswers} checked from its bytes and found not
         * local ({@link PlainAnswers#NOT_LOCAL}), after {@link #cached} found no answer: without
         * dnsjava, unless the upstream's reply is not plain ({@link ForwardedQuery#relaysAsIs}).
         * {@code key} is the query's (a probe: copied here when the answer may be cached);
         * {@code reply} as for {@link #forward}.
         */
        void forwardPlain(byte[] query, AnswerCache.Key key, Consumer<byte[]> reply) {
            List<InetSocketAddress> servers = servers(query, reply);
            if (servers == null) {
                return;
            }
            Attempt a = attempt(ForwardedQuery.plain(query, key.limit(), key.edns()), reply, servers,
                    caching ? key.copy() : null);
            if (a != null) {
                send(a);
            }
        }

        /**
         * The cached answer to a UDP client's query, written into {@code out} for it (its id and
         * question spelling, TTLs counted down): its length, or -1 when none is cached (or the
         * cache is off). {@code key} is the query's, made from its bytes ({@link AnswerCache.Key#set});
         * {@code now} ({@link System#nanoTime()}) when it was read: the serving thread's clock
         * reading, so that a cached answer costs no clock reading of its own.
         */
        int cached(AnswerCache.Key key, byte[] query, byte[] out, long now) {
            return caching && !upstreams.isEmpty() ? cache.get(key, query, now, out) : -1;
        }

        /** Whether the key is one of this engine's sockets (then {@link #readable} takes it). */
        public boolean owns(SelectionKey key) {
            return key.attachment() instanceof UpstreamSockets.Socket<?>;
        }

        /** How long the selector may sleep before {@link #expire} has work: 0 for no limit. */
        public long waitMillis() {
            Timeout next = timeouts.peekFirst();
            return next == null ? 0 : Math.max(1, (next.deadline - System.nanoTime()) / 1_000_000 + 1);
        }

        /** Sends the query to upstream {@code a.index} on a pool socket with a fresh id, or moves on. */
        void send(Attempt a) {
            while (a.index < a.upstreams.size()) {
                InetSocketAddress upstream = a.upstreams.get(a.index);
                try {
                    UpstreamSockets.Socket<Attempt> s = sockets.pick(upstream);
                    int id = sockets.reserve(s, a);
                    byte[] wire = a.query.wire();
                    buffer.clear();
                    buffer.put((byte) (id >>> 8)).put((byte) id).put(wire, 2, wire.length - 2).flip();
                    a.socket = s;
                    a.upstreamId = id;
                    a.deadline = System.nanoTime() + settings.timeout().toNanos();
                    try {
                        s.channel().write(buffer);
                    } catch (IOException e) {
                        s.release(id);
                        a.stopWaiting();
                        sockets.failed(s);
                        throw e;
                    }
                    a.timeout = new Timeout(a, a.deadline);
                    timeouts.addLast(a.timeout);
                    return;
                } catch (IOException e) {
                    a.index++;
                }
            }
            finish(a, a.query.servfail());
        }

        /** Reads the replies waiting on one of this engine's sockets. */
        @SuppressWarnings("unchecked")
        public void readable(SelectionKey key) {
            UpstreamSockets.Socket<Attempt> s = (UpstreamSockets.Socket<Attempt>) key.attachment();
            for (int i = 0; i < READ_BURST && key.isValid(); i++) {
                buffer.clear();
                int n;
                try {
                    n = s.channel().read(buffer);
                } catch (IOException e) {
                    // e.g. ICMP port unreachable: this server failed for every query waiting on the socket
                    List<Attempt> waiting = s.drain();
                    sockets.failed(s);
                    for (Attempt a : waiting) {
                        a.stopWaiting();
                        a.index++;
                        send(a);
                    }
                    return;
                }
                if (n <= 0) {
                    return;
                }
                if (n < Responses.HEADER || (buffer.get(2) & 0x80) == 0) {
                    continue; // not a reply
                }
                int id = (buffer.get(0) & 0xff) << 8 | (buffer.get(1) & 0xff);
                Attempt a = s.take(id);
                if (a == null) {
                    continue; // no query with this id waits on this socket: stray, late or forged
                }
                a.stopWaiting();
                byte[] reply = new byte[n];
                buffer.flip().get(reply);
                byte[] wire = a.query.wire();
                reply[0] = wire[0];
                reply[1] = wire[1];
                if (a.query.relaysAsIs(reply)) {
                    relayed(a, reply);
                } else {
                    answered(a, a.query.check(reply));
                }
                sockets.settle(s);
            }
        }

        private void answered(Attempt a, ForwardedQuery.Checked checked) {
            if (checked.verdict() == ForwardedQuery.Verdict.TRUNCATED) {
                viaTcp(a, checked);
            } else if (checked.verdict() == ForwardedQuery.Verdict.ANSWER) {
                relayed(a, a.query.relay(checked.message()));
            } else {
                a.index++;
                send(a);
            }
        }

        /**
         * Moves timed-out attempts to their next upstream, drops answered ones from the head of
         * the timeouts; retires sockets to upstreams no longer configured.
         */
        public void expire() {
            List<InetSocketAddress> current = upstreams;
            if (current != seen) {
                seen = current;
                sockets.retireAllBut(current);
            }
            long now = System.nanoTime();
            for (Timeout t; (t = timeouts.peekFirst()) != null && (t.attempt == null || now - t.deadline >= 0); ) {
                timeouts.pollFirst();
                Attempt a = t.attempt;
                if (a != null && a.socket != null && a.timeout == t) {
                    UpstreamSockets.Socket<Attempt> s = a.socket;
                    s.release(a.upstreamId);
                    a.stopWaiting();
                    sockets.settle(s);
                    a.index++;
                    send(a);
                }
            }
        }

        /** Closes this engine's sockets (its thread is stopping); queries waiting get no reply. */
        public void close() {
            sockets.close();
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
                if (reply != null && a.query.relaysAsIs(reply)) {
                    relayed(a, reply);
                    return;
                }
                ForwardedQuery.Checked checked = reply == null ? null : a.query.check(reply);
                if (checked != null && checked.verdict() != ForwardedQuery.Verdict.FAILED) {
                    relayed(a, a.query.relay(checked.message()));
                    return;
                }
            }
            finish(a, fallback != null ? a.query.relay(fallback.message()) : a.query.servfail());
        });
    }

    /** The answer for the client: kept in the cache when it may be, and delivered. */
    private void relayed(Attempt a, byte[] reply) {
        if (a.cacheKey != null && caching && reply != null) {
            cache.put(a.cacheKey, reply, System.nanoTime());
        }
        finish(a, reply);
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

    @Override
    public void close() {
        loop.close(() -> {
            tcpPool.shutdownNow();
            own.close();
        });
    }

    @Override
    public String toString() {
        return "Forwarder" + Arrays.toString(upstreams.toArray());
    }
}
