package dev.berth.daemon.dns;

import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.SandboxNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded DNS server: a UDP and a TCP listener on {@code 127.0.0.11:<random>} inside every
 * served sandbox's namespace (plus the NAT that sends port 53 there), all served by one selector
 * thread. {@link #update} swaps in a new {@link NameTable} (visible to the next query) and opens
 * or closes listeners to match it. Answers come from the {@link Resolver}; the rest goes to the
 * {@link Forwarder}, whose replies are sent back from its threads (UDP) or queued to the
 * selector thread (TCP).
 */
public final class DnsServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DnsServer.class.getName());
    /** Where the listeners bind inside a sandbox, as Docker. */
    public static final InetAddress LISTEN = InetAddress.ofLiteral("127.0.0.11");
    private static final int MAX_TCP_CONNECTIONS = 512;
    private static final long TCP_IDLE_NANOS = Duration.ofSeconds(10).toNanos();
    private static final int UDP_BURST = 64;

    /** The ports of one sandbox's listeners. */
    public record Ports(int udp, int tcp) {
    }

    private record Listener(Sandbox sandbox, DatagramChannel udp, ServerSocketChannel tcp, Ports ports) {
        void close() {
            try (udp; tcp) {
                // closing both is the point
            } catch (IOException ignored) {
                // nothing useful to do about a failed close of a listening socket
            }
        }
    }

    private final SandboxNamespaces namespaces;
    private final Forwarder forwarder;
    private final Resolver resolver = new Resolver();
    private final InetAddress listen;
    private final AtomicReference<NameTable> table = new AtomicReference<>(new NameTable());
    private final Map<SandboxId, Listener> listeners = new ConcurrentHashMap<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<TcpConnection> connections = new HashSet<>();
    private final Set<TcpConnection> replied = ConcurrentHashMap.newKeySet();
    private final ByteBuffer udpBuffer = ByteBuffer.allocateDirect(65535);
    private final byte[] udpQuery = new byte[65535];
    private final byte[] udpReply = new byte[4096];
    private final PlainAnswers plain = new PlainAnswers();
    private final SelectorThread loop;
    /** When idle TCP connections were last swept; only the selector thread touches it. */
    private long lastSweep = System.nanoTime();

    /**
     * @param listen {@link #LISTEN}; tests use 127.0.0.1 with a {@link SandboxNamespaces} that
     *               stays in the test's namespace
     */
    public DnsServer(SandboxNamespaces namespaces, Forwarder forwarder, InetAddress listen) {
        this.namespaces = namespaces;
        this.forwarder = forwarder;
        this.listen = listen;
        this.loop = new SelectorThread(LOG, "DNS server", "berth-dns", this::turn);
    }

    public void start() {
        loop.start();
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
            sync(id, sandboxes.get(id));
        }
        for (SandboxId id : next.servedSandboxes()) {
            sync(id, sandboxes.get(id));
        }
    }

    /**
     * Brings one sandbox's listeners in line with the current table, after the table changed for
     * it: opened when it is served and has none (or its namespace moved), closed when it is gone
     * ({@code sandbox} null). A sandbox that left its last user-defined network keeps them, as
     * Docker keeps its resolver: its {@code resolv.conf} still names 127.0.0.11.
     */
    public synchronized void sync(SandboxId id, Sandbox sandbox) {
        Listener l = listeners.get(id);
        boolean serve = sandbox != null && table.get().serves(id) && !sandbox.netnsPath().isEmpty();
        if (l != null && (sandbox == null || !sandbox.netnsPath().equals(l.sandbox().netnsPath()))) {
            listeners.remove(id);
            onSelector(() -> closeListener(l));
        }
        if (serve && !listeners.containsKey(id)) {
            try {
                Listener opened = openListener(sandbox);
                listeners.put(id, opened);
                onSelector(() -> register(opened));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "open DNS listener in sandbox " + sandbox.name() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The listener ports of a sandbox, if it has listeners. */
    public Optional<Ports> ports(SandboxId sandbox) {
        return Optional.ofNullable(listeners.get(sandbox)).map(Listener::ports);
    }

    private Listener openListener(Sandbox sandbox) {
        Listener l = namespaces.call(sandbox, () -> {
            DatagramChannel udp = null;
            try {
                udp = DatagramChannel.open(StandardProtocolFamily.INET);
                udp.bind(new InetSocketAddress(listen, 0)).configureBlocking(false);
                ServerSocketChannel tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
                try {
                    tcp.bind(new InetSocketAddress(listen, 0), 128).configureBlocking(false);
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                Ports ports = new Ports(((InetSocketAddress) udp.getLocalAddress()).getPort(),
                        ((InetSocketAddress) tcp.getLocalAddress()).getPort());
                return new Listener(sandbox, udp, tcp, ports);
            } catch (IOException e) {
                closeQuietly(udp);
                throw new UncheckedIOException("bind DNS listener on " + listen.getHostAddress(), e);
            }
        });
        try {
            namespaces.redirectDns(sandbox, l.ports().udp(), l.ports().tcp());
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    private void onSelector(Runnable task) {
        tasks.add(task);
        loop.wakeup();
    }

    private void register(Listener l) {
        try {
            l.udp().register(loop.selector(), SelectionKey.OP_READ, l);
            l.tcp().register(loop.selector(), SelectionKey.OP_ACCEPT, l);
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
        selector.select(this::ready, 1000);
        for (Runnable t; (t = tasks.poll()) != null; ) {
            t.run();
        }
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

    private void ready(SelectionKey key) {
        try {
            if (!key.isValid()) {
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
            } else if (key.channel() instanceof DatagramChannel udp) {
                readUdp((Listener) attachment, udp);
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
     * answered by {@link PlainAnswers} from and into the selector thread's own buffers; the rest
     * goes through the {@link Resolver} (and maybe the forwarder) with a copy of the query.
     */
    private void readUdp(Listener l, DatagramChannel udp) throws IOException {
        for (int i = 0; i < UDP_BURST; i++) {
            udpBuffer.clear();
            SocketAddress from = udp.receive(udpBuffer);
            if (from == null) {
                return;
            }
            int length = udpBuffer.flip().remaining();
            udpBuffer.get(udpQuery, 0, length);
            NameTable current = table.get();
            int replyLength = plain.answer(udpQuery, length, l.sandbox().id(), current, Resolver.UDP_LIMIT, udpReply);
            if (replyLength != PlainAnswers.SLOW) {
                udpBuffer.clear().put(udpReply, 0, replyLength).flip();
                sendUdp(udp, udpBuffer, from);
                continue;
            }
            byte[] query = Arrays.copyOf(udpQuery, length);
            switch (resolver.resolve(query, l.sandbox().id(), current, Resolver.UDP_LIMIT)) {
                case Resolver.Reply r -> sendUdp(udp, r.wire(), from);
                case Resolver.Forward f -> forwarder.forward(f.query(), false, reply -> sendUdp(udp, reply, from));
                case Resolver.Drop d -> { }
            }
        }
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
            switch (resolver.resolve(query, c.sandbox(), table.get(), Resolver.TCP_LIMIT)) {
                case Resolver.Reply r -> c.queue(r.wire());
                case Resolver.Forward f -> forwarder.forward(f.query(), true, reply -> {
                    c.offer(reply);
                    replied.add(c);
                    loop.wakeup();
                });
                case Resolver.Drop d -> { }
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
        loop.close(() -> {
            listeners.values().forEach(Listener::close);
            listeners.clear();
            connections.forEach(TcpConnection::close);
            connections.clear();
        });
    }

    /** For tests: the sandboxes with listeners. */
    Set<SandboxId> served() {
        return new HashSet<>(listeners.keySet());
    }
}
