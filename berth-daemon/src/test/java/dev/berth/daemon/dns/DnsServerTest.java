package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.entry;
import static dev.berth.daemon.dns.Tables.network;
import static dev.berth.daemon.dns.Tables.parse;
import static dev.berth.daemon.dns.Tables.query;
import static dev.berth.daemon.dns.Tables.sandbox;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsServerTest {
    static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private final Network net1 = network("net1", 'a', false);
    private final Network bridge = network("bridge", 'd', false);
    private final Sandbox c1 = sandbox("c1", '1');
    private final Sandbox c2 = sandbox("c2", '2');
    private final Sandbox legacy = sandbox("legacy", '6');
    private final Map<SandboxId, Sandbox> all = Map.of(c1.id(), c1, c2.id(), c2, legacy.id(), legacy);
    private final LocalNamespaces namespaces = new LocalNamespaces();
    private FakeUpstream upstream;
    private Forwarder forwarder;
    private DnsServer server;
    /** What the server told its observer, in order. */
    private final java.util.Queue<DnsObserver.Result> observed = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void start() throws IOException {
        start(DnsServer.udpThreads());
    }

    private void start(int threads) throws IOException {
        start(threads, true);
    }

    private void start(int threads, boolean batched) throws IOException {
        upstream = new FakeUpstream(q -> ForwarderTest.answer(q, Rcode.NXDOMAIN, null, false),
                q -> ForwarderTest.answer(q, Rcode.NOERROR, "192.0.2.53", false));
        // The upstream always answers: a timeout this long is never reached, also on a loaded machine.
        forwarder = new Forwarder(new Forwarder.Settings(List.of(upstream.address()), Duration.ofSeconds(10), 1024));
        forwarder.start();
        server = new DnsServer(namespaces, forwarder, LOOPBACK, threads, (result, nanos) -> {
            assertTrue(nanos >= 0, "a query's time is never negative");
            observed.add(result);
        }, batched);
        server.start();
        server.update(NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null),
                entry(net1, c2, "172.18.0.3/16", null), entry(bridge, legacy, "172.17.0.2/16", null))), all);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        forwarder.close();
        upstream.close();
    }

    static Message udp(int port, byte[] query) throws IOException {
        return udp(port, query, 20_000);
    }

    static Message udp(int port, byte[] query, int timeoutMillis) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.socket().setSoTimeout(timeoutMillis);
            ch.connect(new InetSocketAddress(LOOPBACK, port));
            ch.write(ByteBuffer.wrap(query));
            var packet = new java.net.DatagramPacket(new byte[65535], 65535);
            ch.socket().receive(packet);
            return parse(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
        }
    }

    static Message tcp(int port, byte[] query) throws IOException {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setSoTimeout(20_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            return parse(reply);
        }
    }

    private static String first(Message m) {
        return m.getSection(Section.ANSWER).getFirst().rdataToString();
    }

    @Test
    void listenersOnlyForUserDefinedNetworksWithRedirects() throws IOException {
        start();
        assertEquals(java.util.Set.of(c1.id(), c2.id()), server.served());
        assertEquals(server.ports(c1.id()).orElseThrow(), namespaces.redirects.get(c1.id()));
        assertTrue(server.ports(legacy.id()).isEmpty());
    }

    /**
     * A daemon started again over namespaces that kept the last one's redirect binds its sockets
     * to the same ports and leaves the rules alone; a port that is taken gets a new one and a new
     * redirect.
     */
    @Test
    void aRestartedServerTakesTheRedirectsPortsAndLeavesTheRules() throws IOException {
        start();
        DnsServer.Ports c1Ports = server.ports(c1.id()).orElseThrow();
        DnsServer.Ports c2Ports = server.ports(c2.id()).orElseThrow();
        server.close();
        namespaces.keepsRedirects = true;
        int calls = namespaces.redirectCalls.get();
        try (DatagramChannel squatter = DatagramChannel.open()) {
            squatter.bind(new InetSocketAddress(LOOPBACK, c2Ports.udp()));
            server = new DnsServer(namespaces, forwarder, LOOPBACK, DnsServer.udpThreads());
            server.start();
            server.update(NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null),
                    entry(net1, c2, "172.18.0.3/16", null))), all);
        }
        assertEquals(c1Ports, server.ports(c1.id()).orElseThrow());
        assertEquals(calls + 1, namespaces.redirectCalls.get(), "only c2 (its port was taken) got a new redirect");
        assertTrue(server.ports(c2.id()).orElseThrow().udp() != c2Ports.udp());
        assertEquals(server.ports(c2.id()).orElseThrow(), namespaces.redirects.get(c2.id()));
        assertEquals("172.18.0.3", first(udp(c1Ports.udp(), query("c2.", Type.A))));
    }

    @Test
    void answersOverUdpAndTcp() throws IOException {
        start();
        DnsServer.Ports ports = server.ports(c1.id()).orElseThrow();
        assertEquals("172.18.0.3", first(udp(ports.udp(), query("c2.", Type.A))));
        assertEquals("172.18.0.3", first(tcp(ports.tcp(), query("c2.", Type.A))));
    }

    @Test
    void forwardsOverTheClientsProtocol() throws IOException {
        start();
        DnsServer.Ports ports = server.ports(c1.id()).orElseThrow();
        assertEquals(Rcode.NXDOMAIN, udp(ports.udp(), query("nope.example.", Type.A)).getRcode());
        assertEquals("192.0.2.53", first(tcp(ports.tcp(), query("www.example.", Type.A))));
    }

    /**
     * Every query is told once, after its reply went out: a local name (the plain fast path and
     * the resolver's), a forwarded one (NXDOMAIN from upstream is an answer too), over UDP and TCP,
     * and a query the server cannot answer (no question: FORMERR) as failed.
     */
    @Test
    void tellsTheObserverHowEachQueryEnded() throws Exception {
        start();
        DnsServer.Ports ports = server.ports(c1.id()).orElseThrow();
        udp(ports.udp(), query("c2.", Type.A));
        awaitObserved(1);
        udp(ports.udp(), query("c2.", Type.MX));
        awaitObserved(2);
        udp(ports.udp(), query("nope.example.", Type.A));
        awaitObserved(3);
        tcp(ports.tcp(), query("www.example.", Type.A));
        awaitObserved(4);
        tcp(ports.tcp(), query("c2.", Type.A));
        awaitObserved(5);
        Message questionless = new Message();
        assertEquals(Rcode.FORMERR, udp(ports.udp(), questionless.toWire()).getRcode());
        awaitObserved(6);
        assertEquals(List.of(DnsObserver.Result.LOCAL, DnsObserver.Result.LOCAL, DnsObserver.Result.FORWARDED,
                DnsObserver.Result.FORWARDED, DnsObserver.Result.LOCAL, DnsObserver.Result.FAILED),
                List.copyOf(observed));
    }

    /** The observer is told after the reply is sent: the client may read it first. */
    private void awaitObserved(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (observed.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(count, observed.size(), observed::toString);
    }

    @Test
    void changesAreVisibleAtOnceAndListenersStayUntilTheSandboxIsGone() throws IOException {
        start();
        DnsServer.Ports ports = server.ports(c1.id()).orElseThrow();
        server.update(NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null))), all);
        assertEquals(Rcode.NXDOMAIN, udp(ports.udp(), query("c2.", Type.A)).getRcode());
        assertEquals(java.util.Set.of(c1.id(), c2.id()), server.served(), "c2 left net1: its resolver stays");
        assertEquals(ports, server.ports(c1.id()).orElseThrow());
        server.sync(c2.id(), null);
        assertEquals(java.util.Set.of(c1.id()), server.served());
    }

    /** Only the start-up pass looks for a last daemon's redirect: a listener opened later reads no ruleset. */
    @Test
    void aListenerOpenedAfterStartUpReadsNoRuleset() throws IOException {
        start();
        int reads = namespaces.redirectReads.get();
        assertTrue(reads > 0, "the start-up pass looked");
        server.sync(c2.id(), null);
        server.sync(c2.id(), c2);
        assertTrue(server.ports(c2.id()).isPresent());
        assertEquals(reads, namespaces.redirectReads.get());
    }

    @Test
    void stalledAndGarbageTcpClientsDoNotStallOthers() throws IOException {
        start();
        DnsServer.Ports ports = server.ports(c1.id()).orElseThrow();
        try (Socket stalled = new Socket(LOOPBACK, ports.tcp()); Socket junk = new Socket(LOOPBACK, ports.tcp())) {
            stalled.getOutputStream().write(new byte[] {0x01, 0x00, 0x12});
            DataOutputStream out = new DataOutputStream(junk.getOutputStream());
            out.writeShort(5);
            out.write(new byte[] {1, 2, 3, 4, 5});
            out.writeShort(0);
            out.flush();
            assertEquals("172.18.0.3", first(tcp(ports.tcp(), query("c2.", Type.A))));
            assertEquals("172.18.0.3", first(udp(ports.udp(), query("c2.", Type.A))));
        }
    }

    /**
     * 16 clients each send 12 queries before reading any answer, so the server finds many
     * datagrams waiting (more than a recvmmsg batch) on its two SO_REUSEPORT sockets: local names
     * (answered into the batch), a name without the asked family (empty NOERROR, same path), a
     * forwarded one (upstream's NXDOMAIN, then from the negative cache: both in one burst) and an
     * MX question (the resolver, sent on its own). Every client gets each of its 12 answers, by
     * id, right, and every query is told to the observer once.
     */
    @Test
    void aBurstFromManyClientsIsAnsweredWithBatches() throws Exception {
        assertTrue(dev.berth.kernel.ffm.UdpBatch.fd(DatagramChannel.open(java.net.StandardProtocolFamily.INET)) >= 0,
                "the test JVM exports sun.nio.ch as berthd's manifest does: the batched path is the one taken");
        burst(true);
    }

    /** The same burst where the channel's descriptor is not used: one datagram at a time. */
    @Test
    void aBurstFromManyClientsIsAnsweredWithoutBatches() throws Exception {
        burst(false);
    }

    private void burst(boolean batched) throws Exception {
        start(2, batched);
        DnsServer.Ports ports = server.ports(c1.id()).orElseThrow();
        String[] names = {"c2.", "c1.", "nope.example.", "c2."};
        int[] types = {Type.A, Type.AAAA, Type.A, Type.MX};
        List<DatagramChannel> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                DatagramChannel ch = DatagramChannel.open();
                clients.add(ch);
                ch.socket().setSoTimeout(20_000);
                ch.connect(new InetSocketAddress(LOOPBACK, ports.udp()));
            }
            for (int k = 0; k < 12; k++) {
                for (DatagramChannel ch : clients) {
                    Message q = parse(query(names[k % 4], types[k % 4]));
                    q.getHeader().setID(1000 + k);
                    ch.write(ByteBuffer.wrap(q.toWire()));
                }
            }
            for (DatagramChannel ch : clients) {
                java.util.Set<Integer> ids = new java.util.HashSet<>();
                for (int k = 0; k < 12; k++) {
                    var packet = new java.net.DatagramPacket(new byte[512], 512);
                    ch.socket().receive(packet);
                    Message m = parse(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    int id = m.getHeader().getID();
                    assertTrue(ids.add(id), "one answer per query");
                    int kind = (id - 1000) % 4;
                    assertEquals(names[kind], m.getQuestion().getName().toString());
                    assertEquals(types[kind], m.getQuestion().getType());
                    switch (kind) {
                        case 0 -> assertEquals("172.18.0.3", first(m));
                        case 1, 3 -> {
                            assertEquals(Rcode.NOERROR, m.getRcode());
                            assertTrue(m.getSection(Section.ANSWER).isEmpty());
                        }
                        default -> assertEquals(Rcode.NXDOMAIN, m.getRcode());
                    }
                }
            }
        } finally {
            for (DatagramChannel ch : clients) {
                ch.close();
            }
        }
        awaitObserved(16 * 12);
        assertEquals(16 * 3, observed.stream().filter(r -> r == DnsObserver.Result.FORWARDED).count());
    }

    /**
     * One client, 200 queries one after the other: the reuseport program hands them to both
     * threads' sockets at random (with the sender's hash all would go to one), and each answer is
     * right. The observer runs on the thread that answered.
     */
    @Test
    void oneClientsQueriesAreSpreadOverBothThreads() throws Exception {
        upstream = new FakeUpstream(q -> ForwarderTest.answer(q, Rcode.NXDOMAIN, null, false), q -> q);
        forwarder = new Forwarder(new Forwarder.Settings(List.of(upstream.address()), Duration.ofSeconds(10), 1024));
        forwarder.start();
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        server = new DnsServer(namespaces, forwarder, LOOPBACK, 2, (result, nanos) -> {
            threads.add(Thread.currentThread().getName());
            observed.add(result);
        }, true);
        server.start();
        server.update(NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null),
                entry(net1, c2, "172.18.0.3/16", null))), all);
        DnsServer.Ports ports = server.ports(c1.id()).orElseThrow();
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.socket().setSoTimeout(20_000);
            ch.connect(new InetSocketAddress(LOOPBACK, ports.udp()));
            for (int i = 0; i < 200; i++) {
                ch.write(ByteBuffer.wrap(query("c2.", Type.A)));
                var packet = new java.net.DatagramPacket(new byte[512], 512);
                ch.socket().receive(packet);
                assertEquals("172.18.0.3", first(parse(java.util.Arrays.copyOf(packet.getData(), packet.getLength()))));
            }
        }
        awaitObserved(200);
        assertEquals(java.util.Set.of("berth-dns", "berth-dns-1"), threads);
    }

    @Test
    void everyThreadsSocketOnTheSharedPortAnswers() throws Exception {
        start(3);
        DnsServer.Ports ports = server.ports(c1.id()).orElseThrow();
        // The kernel spreads clients over the 3 SO_REUSEPORT sockets by source port: with 24
        // clients each socket gets some (all on one: 3 * (1/3)^24), and every one must answer.
        List<DatagramChannel> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                DatagramChannel ch = DatagramChannel.open();
                clients.add(ch);
                ch.socket().setSoTimeout(20_000);
                ch.connect(new InetSocketAddress(LOOPBACK, ports.udp()));
            }
            for (int round = 0; round < 2; round++) {
                for (DatagramChannel ch : clients) {
                    ch.write(ByteBuffer.wrap(query("c2.", Type.A)));
                    var packet = new java.net.DatagramPacket(new byte[512], 512);
                    ch.socket().receive(packet);
                    assertEquals("172.18.0.3", first(parse(java.util.Arrays.copyOf(packet.getData(), packet.getLength()))));
                }
                server.update(NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null),
                        entry(net1, c2, "172.18.0.3/16", null))), all); // a new table: still every socket
            }
        } finally {
            for (DatagramChannel ch : clients) {
                ch.close();
            }
        }
        server.sync(c1.id(), null);
        assertTrue(server.ports(c1.id()).isEmpty());
    }

    /**
     * dns-neg-ttl: an upstream NXDOMAIN without an SOA is kept (here for a day, so that no clock
     * matters) and the serving thread answers the next same question from the query's bytes: the
     * asker's id and spelling, byte for byte what the forwarder's own cache lookup gives, counted
     * as forwarded. Another type is another question; a sandbox only on an internal network still
     * gets SERVFAIL; a negative TTL of 0 keeps nothing, as RFC 2308 §5 says.
     */
    @Test
    void aNegativeAnswerWithoutAnSoaIsKeptForTheNegativeTtlAndAnsweredFromTheQueryBytes() throws Exception {
        start();
        Network internal = network("internal", 'c', true);
        Sandbox lonely = sandbox("lonely", '5');
        try (FakeUpstream nx = new FakeUpstream(q -> ForwarderTest.answer(q, Rcode.NXDOMAIN, null, false), q -> null);
             Forwarder caching = new Forwarder(new Forwarder.Settings(List.of(nx.address()), Duration.ofSeconds(10),
                     1024, 8, 200, true, 64, 86_400));
             DnsServer other = new DnsServer(namespaces, caching, LOOPBACK, 1, (result, nanos) -> observed.add(result))) {
            caching.start();
            other.start();
            other.update(NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null),
                    entry(internal, lonely, "10.9.0.2/24", null))), Map.of(c1.id(), c1, lonely.id(), lonely));
            int port = other.ports(c1.id()).orElseThrow().udp();
            Message first = udp(port, withId(query("C999.", Type.A), 7));
            assertEquals(Rcode.NXDOMAIN, first.getRcode());
            assertEquals(1, nx.udpQueries.get());

            byte[] again = withId(query("c999.", Type.A), 8);
            byte[] cached = udpBytes(port, again);
            Message m = parse(cached);
            assertEquals(Rcode.NXDOMAIN, m.getRcode());
            assertEquals(8, m.getHeader().getID());
            assertEquals("c999.", m.getQuestion().getName().toString());
            assertEquals(1, nx.udpQueries.get(), "answered from the cache");
            java.util.concurrent.CompletableFuture<byte[]> viaForwarder = new java.util.concurrent.CompletableFuture<>();
            caching.forward(again, false, viaForwarder::complete);
            assertArrayEquals(viaForwarder.get(20, java.util.concurrent.TimeUnit.SECONDS), cached);
            assertEquals(1, nx.udpQueries.get());

            assertEquals(Rcode.NXDOMAIN, udp(port, query("c999.", Type.AAAA)).getRcode());
            assertEquals(2, nx.udpQueries.get(), "AAAA is another question");
            int lonelyPort = other.ports(lonely.id()).orElseThrow().udp();
            assertEquals(Rcode.SERVFAIL, udp(lonelyPort, query("c999.", Type.A)).getRcode());
            awaitObserved(4);
            assertEquals(List.of(DnsObserver.Result.FORWARDED, DnsObserver.Result.FORWARDED,
                    DnsObserver.Result.FORWARDED, DnsObserver.Result.FAILED), List.copyOf(observed));

            caching.cache(true, 0);
            assertEquals(Rcode.NXDOMAIN, udp(port, again).getRcode());
            assertEquals(Rcode.NXDOMAIN, udp(port, again).getRcode());
            assertEquals(4, nx.udpQueries.get(), "a negative TTL of 0 keeps nothing");
        }
    }

    /**
     * The serving thread answers a cached negative answer by the clock it read the batch with,
     * also when no observer wants durations (the daemon without metrics: no clock read per
     * answer): an NXDOMAIN with an SOA is kept for the SOA's MINIMUM (RFC 2308 §5), its SOA's TTL
     * counted down by the seconds it was kept, the asker's id and 0x20 spelling echoed byte for
     * byte; once the MINIMUM has passed the next query goes upstream again.
     */
    @ParameterizedTest(name = "batched {0}")
    @ValueSource(booleans = {true, false})
    void aCachedNegativeAnswerIsCountedDownAndExpiresByTheServingThreadsClock(boolean batched) throws Exception {
        start();
        try (FakeUpstream nx = new FakeUpstream(q -> nxWithSoa(q, q[13] == 'g' ? 1 : 30), q -> null);
             Forwarder caching = new Forwarder(new Forwarder.Settings(List.of(nx.address()), Duration.ofSeconds(10),
                     1024, 8, 200, true, 64, 0));
             DnsServer other = new DnsServer(namespaces, caching, LOOPBACK, 1, DnsObserver.NONE, batched)) {
            caching.start();
            other.start();
            other.update(NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null))), Map.of(c1.id(), c1));
            int port = other.ports(c1.id()).orElseThrow().udp();
            Message first = udp(port, withId(query("nx.example.", Type.A), 1));
            assertEquals(Rcode.NXDOMAIN, first.getRcode());
            assertEquals(60, first.getSection(Section.AUTHORITY).getFirst().getTTL());
            assertEquals(Rcode.NXDOMAIN, udp(port, withId(query("gone.example.", Type.A), 2)).getRcode());
            assertEquals(2, nx.udpQueries.get());

            Thread.sleep(1_200);
            byte[] again = withId(query("Nx.ExAmple.", Type.A), 0x4321);
            byte[] cached = udpBytes(port, again);
            assertEquals(2, nx.udpQueries.get(), "within the SOA's MINIMUM: from the cache");
            Message m = parse(cached);
            assertEquals(Rcode.NXDOMAIN, m.getRcode());
            assertTrue(cached[0] == again[0] && cached[1] == again[1], "the asker's id");
            assertTrue(java.util.Arrays.equals(again, 12, again.length, cached, 12, again.length),
                    "the asker's question, its spelling byte for byte");
            long soaTtl = m.getSection(Section.AUTHORITY).getFirst().getTTL();
            assertTrue(soaTtl < 60 && soaTtl > 30, "the SOA's TTL counted down by the seconds kept: " + soaTtl);

            assertEquals(Rcode.NXDOMAIN, udp(port, withId(query("gone.example.", Type.A), 3)).getRcode());
            assertEquals(3, nx.udpQueries.get(), "after the SOA's MINIMUM of 1 s: upstream again");
        }
    }

    /** NXDOMAIN with an SOA in the authority section: TTL 60, MINIMUM as given. */
    private static byte[] nxWithSoa(byte[] q, long minimum) {
        Message r = Responses.replyTo(parse(q), Rcode.NXDOMAIN);
        try {
            r.addRecord(new SOARecord(Name.fromString("example."), DClass.IN, 60, Name.fromString("ns.example."),
                    Name.fromString("h.example."), 1, 2, 3, 4, minimum), Section.AUTHORITY);
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalStateException(e);
        }
        return r.toWire();
    }

    private static byte[] withId(byte[] query, int id) {
        byte[] q = query.clone();
        q[0] = (byte) (id >>> 8);
        q[1] = (byte) id;
        return q;
    }

    private static byte[] udpBytes(int port, byte[] query) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.socket().setSoTimeout(20_000);
            ch.connect(new InetSocketAddress(LOOPBACK, port));
            ch.write(ByteBuffer.wrap(query));
            var packet = new java.net.DatagramPacket(new byte[65535], 65535);
            ch.socket().receive(packet);
            return java.util.Arrays.copyOf(packet.getData(), packet.getLength());
        }
    }

    @Test
    void aForwardedUdpQueryWaitsOutASilentUpstreamOnTheServingThread() throws Exception {
        start(2);
        try (FakeUpstream silent = new FakeUpstream(q -> null, q -> null);
             FakeUpstream ok = new FakeUpstream(q -> ForwarderTest.answer(q, Rcode.NOERROR, "192.0.2.54", false),
                     q -> null);
             Forwarder slow = new Forwarder(new Forwarder.Settings(List.of(silent.address(), ok.address()),
                     Duration.ofSeconds(1), 1024));
             DnsServer other = new DnsServer(namespaces, slow, LOOPBACK, 2)) {
            slow.start();
            other.start();
            other.update(NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null))), all);
            DnsServer.Ports ports = other.ports(c1.id()).orElseThrow();
            // The serving thread's engine times the silent server out (1 s) and asks the next one.
            assertEquals("192.0.2.54", first(udp(ports.udp(), query("www.example.", Type.A))));
            assertEquals(1, ok.udpQueries.get());
            assertEquals(0, slow.inFlight());
        }
    }
}
