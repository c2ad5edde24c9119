package dev.berth.daemon.dns;

import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.SandboxNamespaces;
import dev.berth.kernel.ffm.UdpBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.xbill.DNS.Rcode;

/**
 * The embedded DNS server: a UDP and a TCP listener on {@code 127.0.0.11:<random>} inside every
 * served sandbox's namespace (plus the NAT that sends port 53 there). The UDP listener is one
 * socket per serving thread ({@link #udpThreads}, at most 2), all bound to the port with
 * {@code SO_REUSEPORT}, and each datagram goes to one of them at random (a reuseport BPF program,
 * {@link UdpBatch#spreadRandomly}; by the sender's address and port where that cannot be set), so
 * that a few busy clients keep both threads busy; each thread reads and answers its socket's
 * datagrams in batches ({@link UdpBatch}). Thread 0 also serves every TCP listener and connection. {@link #update} swaps in a new
 * {@link NameTable} (visible to the next query) and opens or closes listeners to match it.
 * Answers come from the {@link Resolver}; the rest goes upstream: a UDP query through the
 * receiving thread's own {@link Forwarder.Engine} (sent, answered and relayed on that thread, as
 * dnsmasq's one loop does), a TCP one through the {@link Forwarder}'s threads, its reply queued
 * to thread 0.
 */
public final class DnsServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DnsServer.class.getName());
    /** Where the listeners bind inside a sandbox, as Docker. */
    public static final InetAddress LISTEN = InetAddress.ofLiteral("127.0.0.11");
    private static final int MAX_TCP_CONNECTIONS = 512;
    private static final long TCP_IDLE_NANOS = Duration.ofSeconds(10).toNanos();
    private static final int UDP_BURST = 64;
    /** {@link #answerHere}: a plain question not cached, to send upstream from its bytes. */
    private static final int UPSTREAM = -100;

    /** The ports of one sandbox's listeners. */
    public record Ports(int udp, int tcp) {
    }

    private record Listener(Sandbox sandbox, List<DatagramChannel> udp, ServerSocketChannel tcp, Ports ports) {
        void close() {
            udp.forEach(DnsServer::closeQuietly);
            try {
                tcp.close();
            } catch (IOException ignored) {
                // nothing useful to do about a failed close of a listening socket
            }
        }
    }

    /** What a UDP socket's key carries: its listener and, when batched I/O is used, its descriptor (else -1). */
    private record UdpSocket(Listener listener, int fd) {
    }

    /**
     * One serving thread: its selector, its own buffers for the UDP hot path, and its forwarding
     * engine, so a forwarded UDP query and its reply stay on the thread that received it.
     */
    private static final class Worker {
        final SelectorThread loop;
        final Forwarder.Engine engine;
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final ByteBuffer udpBuffer = ByteBuffer.allocateDirect(65535);
        final byte[] udpQuery = new byte[65535];
        final byte[] udpReply = new byte[4096];
        final PlainAnswers plain = new PlainAnswers();
        /** recvmmsg/sendmmsg buffers, made on this thread's first batched read; null before. */
        UdpBatch batch;
        /** What {@link #answerHere}'s last reply was: a local name's or a cached one. */
        DnsObserver.Result answered;

        Worker(SelectorThread.Turn turn, int index, Forwarder forwarder) {
            this.loop = new SelectorThread(LOG, "DNS server", index == 0 ? "berth-dns" : "berth-dns-" + index, turn);
            this.engine = forwarder.engine(loop.selector());
        }

        /** One select: at most a second, less when a forwarded query times out sooner. */
        void select(Consumer<SelectionKey> ready) throws IOException {
            long wait = engine.waitMillis();
            loop.selector().select(ready, wait == 0 ? 1000 : Math.min(1000, wait));
            for (Runnable t; (t = tasks.poll()) != null; ) {
                t.run();
            }
            engine.expire();
        }
    }

    private final SandboxNamespaces namespaces;
    private final boolean batched;
    private final Forwarder forwarder;
    private final DnsObserver observer;
    /** Whether {@link #observer} wants durations: without it no clock is read per answer. */
    private final boolean timed;
    private final Resolver resolver = new Resolver();
    private final InetAddress listen;
    private final AtomicReference<NameTable> table = new AtomicReference<>(new NameTable());
    private final Map<SandboxId, Listener> listeners = new ConcurrentHashMap<>();
    private final Set<TcpConnection> connections = new HashSet<>();
    private final Set<TcpConnection> replied = ConcurrentHashMap.newKeySet();
    private final Worker[] workers;
    /** Thread 0's loop: UDP, every TCP listener and connection, the sweeps. */
    private final SelectorThread loop;
    /** When idle TCP connections were last swept; only the selector thread touches it. */
    private long lastSweep = System.nanoTime();

    /**
     * @param listen {@link #LISTEN}; tests use 127.0.0.1 with a {@link SandboxNamespaces} that
     *               stays in the test's namespace
     */
    public DnsServer(SandboxNamespaces namespaces, Forwarder forwarder, InetAddress listen) {
        this(namespaces, forwarder, listen, DnsObserver.NONE);
    }

    /** @param observer told of every query answered (the daemon's metrics) */
    public DnsServer(SandboxNamespaces namespaces, Forwarder forwarder, InetAddress listen, DnsObserver observer) {
        this(namespaces, forwarder, listen, udpThreads(), observer);
    }

    /** @param threads serving threads (and UDP sockets per sandbox), at least 1 */
    DnsServer(SandboxNamespaces namespaces, Forwarder forwarder, InetAddress listen, int threads) {
        this(namespaces, forwarder, listen, threads, DnsObserver.NONE);
    }

    /** @param observer told of every query answered */
    DnsServer(SandboxNamespaces namespaces, Forwarder forwarder, InetAddress listen, int threads,
              DnsObserver observer) {
        this(namespaces, forwarder, listen, threads, observer, true);
    }

    /**
     * @param batched read and answer UDP queries with recvmmsg/sendmmsg where the JDK lets the
     *                socket's descriptor be seen ({@link UdpBatch#fd}); false: the channel's own
     *                receive and send, one datagram each
     */
    DnsServer(SandboxNamespaces namespaces, Forwarder forwarder, InetAddress listen, int threads,
              DnsObserver observer, boolean batched) {
        this.batched = batched;
        this.namespaces = namespaces;
        this.forwarder = forwarder;
        this.observer = observer;
        this.timed = observer != DnsObserver.NONE;
        this.listen = listen;
        this.workers = new Worker[Math.max(1, threads)];
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            workers[i] = new Worker(i == 0 ? this::turn : selector -> otherTurn(workers[index]), i, forwarder);
        }
        this.loop = workers[0].loop;
    }

    /**
     * Two serving threads on a machine with two or more CPUs, else one: dnsmasq serves on one
     * thread; a second one lets the kernel's send path (most of a query's cost) run on both CPUs.
     */
    static int udpThreads() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    public void start() {
        for (Worker w : workers) {
            w.loop.start();
        }
    }

    /**
     * Makes {@code next} the table for every later query, opens listeners for the sandboxes it
     * serves that have none (or whose namespace moved), and closes those of the others. A
     * listener that cannot be opened is logged and retried on the next update. A pass over every
     * sandbox: for start-up; later changes go through {@link #sync}.
     */
    public synchronized void update(NameTable next, Map<SandboxId, Sandbox> sandboxes) {
        table.set(next);
        for (SandboxId id : List.copyOf(listeners.keySet())) {
            sync(id, sandboxes.get(id), true);
        }
        List<Sandbox> opening = new ArrayList<>();
        for (SandboxId id : next.servedSandboxes()) {
            Sandbox sandbox = sandboxes.get(id);
            if (sandbox != null && !listeners.containsKey(id) && !sandbox.netnsPath().isEmpty()) {
                opening.add(sandbox);
            }
        }
        openAll(opening);
    }

    /**
     * The start-up pass's listeners: the sockets of every sandbox bound (and the earlier redirect
     * read, without libnftables) in one visit each, side by side ({@link
     * SandboxNamespaces#callAfterDnsRedirectEach}: a few threads that go from namespace to
     * namespace); then, in order on the caller's thread, a redirect written where one is needed
     * (one nf_tables batch over netlink in the sandbox's namespace), the listener added and
     * registered.
     */
    private void openAll(List<Sandbox> opening) {
        if (opening.size() < 2) {
            opening.forEach(s -> sync(s.id(), s, true));
            return;
        }
        List<CompletableFuture<Bound>> bound = namespaces.callAfterDnsRedirectEach(opening, this::bindHere);
        for (int i = 0; i < opening.size(); i++) {
            Sandbox sandbox = opening.get(i);
            CompletableFuture<Bound> f = bound.get(i);
            switch (f.state()) {
                case SUCCESS -> {
                    try {
                        added(sandbox.id(), redirected(sandbox, f.resultNow()));
                    } catch (RuntimeException e) {
                        openFailed(sandbox, e);
                    }
                }
                case FAILED -> openFailed(sandbox, f.exceptionNow() instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : f.exceptionNow());
                default -> LOG.log(System.Logger.Level.WARNING, "open DNS listener in sandbox " + sandbox.name()
                        + ": not run");
            }
        }
    }

    private static void openFailed(Sandbox sandbox, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "open DNS listener in sandbox " + sandbox.name() + ": " + e.getMessage(), e);
    }

    /**
     * Brings one sandbox's listeners in line with the current table, after the table changed for
     * it: opened when it is served and has none (or its namespace moved), closed when it is gone
     * ({@code sandbox} null). A sandbox that left its last user-defined network keeps them, as
     * Docker keeps its resolver: its {@code resolv.conf} still names 127.0.0.11.
     */
    public synchronized void sync(SandboxId id, Sandbox sandbox) {
        sync(id, sandbox, false);
    }

    /**
     * {@code adopting}: the start-up pass, where a namespace may still hold the last daemon's
     * redirect; a sandbox made since has none, so a later sync does not read its ruleset.
     */
    private void sync(SandboxId id, Sandbox sandbox, boolean adopting) {
        Listener l = listeners.get(id);
        boolean serve = sandbox != null && table.get().serves(id) && !sandbox.netnsPath().isEmpty();
        if (l != null && (sandbox == null || !sandbox.netnsPath().equals(l.sandbox().netnsPath()))) {
            listeners.remove(id);
            onSelector(() -> closeListener(l));
        }
        if (serve && !listeners.containsKey(id)) {
            try {
                added(id, redirected(sandbox, bindListener(sandbox, adopting)));
            } catch (RuntimeException e) {
                openFailed(sandbox, e);
            }
        }
    }

    /** Keeps a listener just opened and has every serving thread register its sockets. */
    private void added(SandboxId id, Listener opened) {
        listeners.put(id, opened);
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            onWorker(workers[i], () -> register(opened, index));
        }
    }

    /** The listener ports of a sandbox, if it has listeners. */
    public Optional<Ports> ports(SandboxId sandbox) {
        return Optional.ofNullable(listeners.get(sandbox)).map(Listener::ports);
    }

    /**
     * The sandbox's sockets, bound inside its namespace; {@link #redirected} then sees to the
     * port-53 redirect to them. A namespace that outlived the last daemon still has that daemon's
     * redirect: the sockets take its ports when they are free, and then the rules stay as they are
     * (replacing them would cost an RCU grace period per sandbox at start-up); otherwise new ports
     * and new rules. Only {@code adopting} (the start-up pass) looks for such a redirect, in the
     * same visit to the namespace as the binding.
     */
    private Bound bindListener(Sandbox sandbox, boolean adopting) {
        return adopting ? namespaces.callAfterDnsRedirect(sandbox, left -> bindHere(sandbox, left))
                : namespaces.call(sandbox, () -> bindHere(sandbox, Optional.empty()));
    }

    /** Inside the sandbox's namespace: its sockets, on {@code left}'s ports where it names them and they are free. */
    private Bound bindHere(Sandbox sandbox, Optional<SandboxNamespaces.DnsPorts> left) {
        List<DatagramChannel> udp = new ArrayList<>();
        try {
            int port = 0;
            for (int i = 0; i < workers.length; i++) {
                DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
                udp.add(ch);
                if (workers.length > 1) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                port = bind(ch, ch::bind, i == 0 ? left.map(SandboxNamespaces.DnsPorts::udp).orElse(0) : port);
            }
            if (udp.size() > 1 && batched) {
                try {
                    UdpBatch.spreadRandomly(udp.getFirst(), udp.size());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "DNS listener: datagrams stay spread by sender: " + e.getMessage());
                }
            }
            ServerSocketChannel tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
            int tcpPort;
            try {
                tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                tcpPort = bind(tcp, a -> tcp.bind(a, 128), left.map(SandboxNamespaces.DnsPorts::tcp).orElse(0));
            } catch (IOException e) {
                tcp.close();
                throw e;
            }
            Ports ports = new Ports(port, tcpPort);
            return new Bound(new Listener(sandbox, List.copyOf(udp), tcp, ports), left);
        } catch (IOException e) {
            udp.forEach(DnsServer::closeQuietly);
            throw new UncheckedIOException("bind DNS listener on " + listen.getHostAddress(), e);
        }
    }

    /** The listener, after the redirect to its ports is written unless the one found already sends there. */
    private Listener redirected(Sandbox sandbox, Bound bound) {
        Listener l = bound.listener();
        Optional<SandboxNamespaces.DnsPorts> left = bound.left();
        if (left.isPresent() && left.get().udp() == l.ports().udp() && left.get().tcp() == l.ports().tcp()) {
            return l;
        }
        try {
            namespaces.redirectDns(sandbox, l.ports().udp(), l.ports().tcp());
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    /** A listener just bound, and the redirect an earlier daemon left in its namespace (if read). */
    private record Bound(Listener listener, Optional<SandboxNamespaces.DnsPorts> left) {
    }

    /** A socket's bind, to the listen address and a port. */
    @FunctionalInterface
    private interface Bind {
        void to(InetSocketAddress address) throws IOException;
    }

    /**
     * Binds to {@code port} (0: any); a wanted port that is taken falls back to any. Then
     * non-blocking; returns the port.
     */
    private <C extends SelectableChannel & NetworkChannel> int bind(C ch, Bind bind, int port) throws IOException {
        try {
            bind.to(new InetSocketAddress(listen, port));
        } catch (java.net.BindException e) {
            if (port == 0) {
                throw e;
            }
            bind.to(new InetSocketAddress(listen, 0));
        }
        ch.configureBlocking(false);
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    private void onSelector(Runnable task) {
        onWorker(workers[0], task);
    }

    private static void onWorker(Worker w, Runnable task) {
        w.tasks.add(task);
        w.loop.wakeup();
    }

    /** On worker {@code index}'s thread: its UDP socket of {@code l}; worker 0 also the TCP listener. */
    private void register(Listener l, int index) {
        try {
            Worker w = workers[index];
            if (!l.udp().get(index).isOpen()) {
                return; // closed before it was registered
            }
            DatagramChannel udp = l.udp().get(index);
            udp.register(w.loop.selector(), SelectionKey.OP_READ, new UdpSocket(l, batched ? UdpBatch.fd(udp) : -1));
            if (index == 0) {
                l.tcp().register(loop.selector(), SelectionKey.OP_ACCEPT, l);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "register DNS listener: " + e.getMessage());
        }
    }

    private void closeListener(Listener l) {
        l.close();
        for (TcpConnection c : List.copyOf(connections)) {
            if (c.sandbox().equals(l.sandbox().id())) {
                dropConnection(c);
            }
        }
    }

    /** One pass of the selector thread (a failure is logged by {@link SelectorThread}, never stops it). */
    private void turn(Selector selector) throws IOException {
        Worker w = workers[0];
        w.select(key -> ready(w, key));
        if (!replied.isEmpty()) {
            for (TcpConnection c : List.copyOf(replied)) {
                replied.remove(c);
                writeOffered(c);
            }
        }
        long now = System.nanoTime();
        if (now - lastSweep > 1_000_000_000L) {
            lastSweep = now;
            sweepIdle(now);
        }
    }

    /** A pass of a thread other than 0: its UDP sockets only. */
    private void otherTurn(Worker w) throws IOException {
        w.select(key -> ready(w, key));
    }

    private void ready(Worker w, SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (w.engine.owns(key)) {
                w.engine.readable(key);
                return;
            }
            Object attachment = key.attachment();
            if (attachment instanceof TcpConnection c) {
                if (key.isReadable()) {
                    readTcp(c);
                }
                if (key.isValid() && key.isWritable()) {
                    c.flush();
                }
            } else if (attachment instanceof UdpSocket u) {
                if (u.fd() >= 0) {
                    readUdpBatched(w, u.listener(), (DatagramChannel) key.channel(), u.fd());
                } else {
                    readUdp(w, u.listener(), (DatagramChannel) key.channel());
                }
            } else if (key.channel() instanceof ServerSocketChannel server) {
                accept((Listener) attachment, server);
            }
        } catch (IOException | RuntimeException e) {
            if (key.attachment() instanceof TcpConnection c) {
                dropConnection(c);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "DNS listener: " + e.getMessage());
            }
        }
    }

    /**
     * Up to {@value #UDP_BURST} datagrams per wake-up. A plain A/AAAA question for a local name is
     * answered by {@link PlainAnswers} from and into the selector thread's own buffers, and so is
     * one for another name whose answer the forwarder has cached (asked with the key made from
     * the query's bytes); such a plain question that is not cached goes upstream from its bytes
     * ({@link Forwarder.Engine#forwardPlain}, no dnsjava); the rest goes through the
     * {@link Resolver} (and maybe the forwarder) with a copy of the query.
     */
    private void readUdp(Worker w, Listener l, DatagramChannel udp) throws IOException {
        ByteBuffer udpBuffer = w.udpBuffer;
        byte[] udpQuery = w.udpQuery;
        byte[] udpReply = w.udpReply;
        for (int i = 0; i < UDP_BURST; i++) {
            udpBuffer.clear();
            SocketAddress from = udp.receive(udpBuffer);
            if (from == null) {
                return;
            }
            long start = System.nanoTime();
            int length = udpBuffer.flip().remaining();
            udpBuffer.get(udpQuery, 0, length);
            NameTable current = table.get();
            int replyLength = answerHere(w, l, current, length, start);
            if (replyLength == UPSTREAM) {
                w.engine.forwardPlain(Arrays.copyOf(udpQuery, length), w.plain.key(), udpReplier(udp, from, start));
            } else if (replyLength >= 0) {
                udpBuffer.clear().put(udpReply, 0, replyLength).flip();
                sendUdp(udp, udpBuffer, from);
                observer.answered(result(udpReply, replyLength, w.answered), since(start));
            } else {
                resolve(w, l, current, udp, Arrays.copyOf(udpQuery, length), from, start);
            }
        }
    }

    /**
     * The answer the thread makes itself for the query in {@code w.udpQuery[0, length)}, written
     * into {@code w.udpReply}: a local name's ({@link PlainAnswers}) or one the forwarder has
     * cached (asked with the key made from the query's bytes), its length returned and its kind
     * left in {@code w.answered}. Else {@link #UPSTREAM}: a plain question to send upstream from
     * its bytes; or another negative value: the {@link Resolver}'s work ({@link #resolve}).
     * {@code read}: when the query was read ({@link System#nanoTime()}), the clock a cached
     * answer's TTLs are counted down by.
     */
    private int answerHere(Worker w, Listener l, NameTable current, int length, long read) {
        int replyLength = w.plain.answer(w.udpQuery, length, l.sandbox().id(), current, Resolver.UDP_LIMIT, w.udpReply);
        w.answered = DnsObserver.Result.LOCAL;
        if (replyLength != PlainAnswers.NOT_LOCAL) {
            return replyLength;
        }
        w.answered = DnsObserver.Result.FORWARDED;
        replyLength = w.engine.cached(w.plain.key(), w.udpQuery, w.udpReply, read);
        return replyLength < 0 ? UPSTREAM : replyLength;
    }

    /** A query for the {@link Resolver} (dnsjava): answered, sent upstream or dropped. */
    private void resolve(Worker w, Listener l, NameTable current, DatagramChannel udp, byte[] query, SocketAddress from,
                         long start) {
        switch (resolver.resolve(query, l.sandbox().id(), current, Resolver.UDP_LIMIT)) {
            case Resolver.Reply r -> {
                sendUdp(udp, r.wire(), from);
                observer.answered(result(r.wire(), DnsObserver.Result.LOCAL), since(start));
            }
            case Resolver.Forward f -> w.engine.forward(f.query(), f.message(), udpReplier(udp, from, start));
            case Resolver.Drop d -> observer.answered(DnsObserver.Result.FAILED, since(start));
        }
    }

    /**
     * {@link #readUdp} with recvmmsg/sendmmsg: up to {@value #UDP_BURST} datagrams per wake-up,
     * {@link UdpBatch#CAPACITY} per call ({@link UdpBatch#capacity}); the answers made on the thread (local names, cached
     * answers) are queued and sent together at the end of each batch to the senders' addresses
     * as read, nothing allocated; a query that goes upstream or through the resolver gets its
     * sender as an address object and is answered as in {@link #readUdp}. A datagram over
     * {@link UdpBatch#SLOT} bytes is dropped (counted as failed): no DNS client sends a UDP query
     * that big. The clock is read once per batch, when it was read: the time the cache counts
     * TTLs by and the observer's start; per answer only when the observer wants durations.
     */
    private void readUdpBatched(Worker w, Listener l, DatagramChannel udp, int fd) {
        UdpBatch batch = w.batch;
        if (batch == null) {
            batch = w.batch = new UdpBatch();
        }
        byte[] udpQuery = w.udpQuery;
        byte[] udpReply = w.udpReply;
        for (int done = 0; done < UDP_BURST; ) {
            int n = batch.receive(fd);
            if (n == 0) {
                return;
            }
            long start = System.nanoTime();
            NameTable current = table.get();
            for (int i = 0; i < n; i++) {
                if (batch.truncated(i)) {
                    observer.answered(DnsObserver.Result.FAILED, since(start));
                    continue;
                }
                int length = batch.copy(i, udpQuery);
                int replyLength = answerHere(w, l, current, length, start);
                if (replyLength == UPSTREAM) {
                    w.engine.forwardPlain(Arrays.copyOf(udpQuery, length), w.plain.key(),
                            udpReplier(udp, batch.sender(i), start));
                } else if (replyLength >= 0) {
                    if (!batch.reply(i, udpReply, replyLength)) {
                        sendUdp(udp, Arrays.copyOf(udpReply, replyLength), batch.sender(i));
                    }
                    observer.answered(result(udpReply, replyLength, w.answered), since(start));
                } else {
                    resolve(w, l, current, udp, Arrays.copyOf(udpQuery, length), batch.sender(i), start);
                }
            }
            batch.flush(fd);
            done += n;
            if (n < batch.capacity()) {
                return;
            }
        }
    }

    /** Where a forwarded UDP query's reply goes: back to the client, then told to the observer. */
    private Consumer<byte[]> udpReplier(DatagramChannel udp, SocketAddress from, long start) {
        return reply -> {
            sendUdp(udp, reply, from);
            observer.answered(result(reply, DnsObserver.Result.FORWARDED), since(start));
        };
    }

    /** Nanoseconds since {@code start}, or 0 when the observer takes no durations (no clock read). */
    private long since(long start) {
        return timed ? System.nanoTime() - start : 0;
    }

    /** {@code answered}, unless the reply's rcode says the query failed (anything but NOERROR and NXDOMAIN). */
    static DnsObserver.Result result(byte[] reply, DnsObserver.Result answered) {
        return result(reply, reply.length, answered);
    }

    private static DnsObserver.Result result(byte[] reply, int length, DnsObserver.Result answered) {
        int rcode = length > 3 ? reply[3] & 0x0F : Rcode.SERVFAIL;
        return rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN ? answered : DnsObserver.Result.FAILED;
    }

    /** Thread-safe: DatagramChannel serialises concurrent sends. A full socket drops, as UDP does. */
    private static void sendUdp(DatagramChannel udp, byte[] reply, SocketAddress to) {
        sendUdp(udp, ByteBuffer.wrap(reply), to);
    }

    private static void sendUdp(DatagramChannel udp, ByteBuffer reply, SocketAddress to) {
        try {
            udp.send(reply, to);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "DNS reply to " + to + ": " + e.getMessage());
        }
    }

    private void accept(Listener l, ServerSocketChannel server) throws IOException {
        SocketChannel client = server.accept();
        if (client == null) {
            return;
        }
        if (connections.size() >= MAX_TCP_CONNECTIONS) {
            client.close();
            return;
        }
        client.configureBlocking(false);
        TcpConnection c = new TcpConnection(l.sandbox().id(), client, System.nanoTime());
        c.key(client.register(loop.selector(), SelectionKey.OP_READ, c));
        connections.add(c);
    }

    private void readTcp(TcpConnection c) throws IOException {
        List<byte[]> messages = c.read();
        if (messages == null) {
            dropConnection(c);
            return;
        }
        c.lastActive = System.nanoTime();
        for (byte[] query : messages) {
            long start = System.nanoTime();
            switch (resolver.resolve(query, c.sandbox(), table.get(), Resolver.TCP_LIMIT)) {
                case Resolver.Reply r -> {
                    c.queue(r.wire());
                    observer.answered(result(r.wire(), DnsObserver.Result.LOCAL), System.nanoTime() - start);
                }
                case Resolver.Forward f -> forwarder.forward(f.query(), f.message(), true, reply -> {
                    c.offer(reply);
                    replied.add(c);
                    loop.wakeup();
                    observer.answered(result(reply, DnsObserver.Result.FORWARDED), System.nanoTime() - start);
                });
                case Resolver.Drop d -> observer.answered(DnsObserver.Result.FAILED, System.nanoTime() - start);
            }
        }
    }

    private void writeOffered(TcpConnection c) {
        if (!connections.contains(c)) {
            return;
        }
        try {
            c.drainOffered();
        } catch (IOException e) {
            dropConnection(c);
        }
    }

    private void sweepIdle(long now) {
        for (TcpConnection c : List.copyOf(connections)) {
            if (now - c.lastActive > TCP_IDLE_NANOS) {
                dropConnection(c);
            }
        }
    }

    private void dropConnection(TcpConnection c) {
        connections.remove(c);
        c.close();
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    /** Stops the thread and closes every listener and connection (the forwarder is the caller's). */
    @Override
    public synchronized void close() {
        for (int i = 1; i < workers.length; i++) {
            Worker w = workers[i];
            w.loop.close(() -> {
                w.engine.close();
                closeBatch(w);
            });
        }
        loop.close(() -> {
            workers[0].engine.close();
            closeBatch(workers[0]);
            listeners.values().forEach(Listener::close);
            listeners.clear();
            connections.forEach(TcpConnection::close);
            connections.clear();
        });
    }

    private static void closeBatch(Worker w) {
        if (w.batch != null) {
            w.batch.close();
            w.batch = null;
        }
    }

    /** For tests: the sandboxes with listeners. */
    Set<SandboxId> served() {
        return new HashSet<>(listeners.keySet());
    }
}
