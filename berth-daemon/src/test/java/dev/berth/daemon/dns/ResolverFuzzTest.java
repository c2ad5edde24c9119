package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.entry;
import static dev.berth.daemon.dns.Tables.network;
import static dev.berth.daemon.dns.Tables.query;
import static dev.berth.daemon.dns.Tables.sandbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Random and mutated packets, straight into the resolver and through a real UDP listener: no
 * exception escapes, every reply parses, and a valid query still answers correctly afterwards.
 */
class ResolverFuzzTest {
    private static final int DIRECT = 120_000;
    private static final int OVER_UDP = 4_000;
    private final Network net1 = network("net1", 'a', false);
    private final Sandbox c1 = sandbox("c1", '1');
    private final Sandbox c2 = sandbox("c2", '2');
    private final NameTable table = NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", "fd00::2/64", "web"),
            entry(net1, c2, "172.18.0.3/16", null, "web")));
    private final List<byte[]> seeds = List.of(query("c2.", Type.A), query("web.net1.", Type.AAAA),
            query("3.0.18.172.in-addr.arpa.", Type.PTR), query("example.com.", Type.TXT), query("c1.", Type.MX));

    /** Half pure noise, half a seed query with bytes flipped, cut, grown or counts forged. */
    private byte[] packet(SplittableRandom random) {
        return packet(random, seeds);
    }

    private static byte[] packet(SplittableRandom random, List<byte[]> seeds) {
        if (random.nextBoolean()) {
            byte[] noise = new byte[random.nextInt(0, 600)];
            random.nextBytes(noise);
            return noise;
        }
        byte[] p = seeds.get(random.nextInt(seeds.size())).clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = random.nextInt(1, 6); i > 0; i--) {
                    p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> p = Arrays.copyOf(p, random.nextInt(p.length));
            case 2 -> {
                p = Arrays.copyOf(p, p.length + random.nextInt(1, 64));
                for (int i = 0; i < 8; i++) {
                    p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                }
            }
            default -> {
                p[4 + 2 * random.nextInt(4) + 1] = (byte) random.nextInt(256);
                p[2] = (byte) (random.nextInt(256) & 0x7f);
            }
        }
        return p;
    }

    /** A query with an OPT record asking for DNSSEC records (the DO bit). */
    private static byte[] edns(String name, int type) {
        Message m = Tables.parse(query(name, type));
        m.addRecord(new org.xbill.DNS.OPTRecord(1400, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
        return m.toWire();
    }

    private static void assertParses(byte[] wire, byte[] input) {
        try {
            new Message(wire);
        } catch (IOException e) {
            fail("unparseable reply to " + Arrays.toString(input) + ": " + e);
        }
    }

    private void assertStillAnswers(Resolver resolver) {
        var out = (Resolver.Reply) resolver.resolve(query("c1.", Type.A), c1.id(), table, Resolver.UDP_LIMIT);
        assertEquals("172.18.0.2", Tables.parse(out.wire()).getSection(Section.ANSWER).getFirst().rdataToString());
    }

    @Test
    void hundredThousandPacketsStraightIntoTheResolver() {
        Resolver resolver = new Resolver();
        SplittableRandom random = new SplittableRandom(20261128);
        int replies = 0;
        for (int i = 0; i < DIRECT; i++) {
            byte[] p = packet(random);
            Resolver.Outcome out = resolver.resolve(p, c1.id(), table, i % 2 == 0 ? Resolver.UDP_LIMIT
                    : Resolver.TCP_LIMIT);
            if (out instanceof Resolver.Reply r) {
                assertParses(r.wire(), p);
                replies++;
            }
        }
        assertTrue(replies > DIRECT / 4, "most garbage gets an answer: " + replies);
        assertStillAnswers(resolver);
    }

    /** Wherever the fast path answers a mutated query, the resolver answers the same (up to order). */
    @Test
    void plainAnswersAgreeWithTheResolver() {
        Resolver resolver = new Resolver();
        PlainAnswers plain = new PlainAnswers();
        List<byte[]> plainSeeds = List.of(query("c2.", Type.A), query("C1.", Type.AAAA), query("web.", Type.A),
                query("web.net1.", Type.AAAA), query("c2.", Type.AAAA), query("C999.", Type.A),
                query("Nope.Example.", Type.AAAA), edns("c999.", Type.A));
        SplittableRandom random = new SplittableRandom(5);
        byte[] out = new byte[4096];
        int fast = 0;
        int notLocal = 0;
        for (int i = 0; i < DIRECT; i++) {
            byte[] p = packet(random, plainSeeds);
            int limit = i % 2 == 0 ? Resolver.UDP_LIMIT : Resolver.TCP_LIMIT;
            int n = plain.answer(p, p.length, c1.id(), table, limit, out);
            if (n == PlainAnswers.NOT_LOCAL) {
                // the resolver forwards it, and the key made from its bytes is the forwarder's
                Resolver.Forward forward = (Resolver.Forward) resolver.resolve(p, c1.id(), table, limit);
                ForwardedQuery q = ForwardedQuery.of(forward.query(), forward.message(), limit == Resolver.TCP_LIMIT);
                assertEquals(AnswerCache.Key.of(q), plain.key(), () -> "key for " + Arrays.toString(p));
                notLocal++;
                continue;
            }
            if (n == PlainAnswers.SLOW) {
                continue;
            }
            fast++;
            byte[] mine = Arrays.copyOf(out, n);
            byte[] theirs = ((Resolver.Reply) resolver.resolve(p, c1.id(), table, limit)).wire();
            assertEquals(theirs.length, mine.length, () -> "length for " + Arrays.toString(p));
            Message a = Tables.parse(mine);
            Message b = Tables.parse(theirs);
            assertEquals(b.getHeader().toString(), a.getHeader().toString());
            assertEquals(b.getQuestion(), a.getQuestion());
            assertEquals(java.util.Set.copyOf(b.getSection(Section.ANSWER)),
                    java.util.Set.copyOf(a.getSection(Section.ANSWER)));
            assertEquals(b.getSection(Section.ADDITIONAL), a.getSection(Section.ADDITIONAL));
        }
        assertTrue(fast > 200, "the fast path took " + fast);
        assertTrue(notLocal > 200, "the fast path found " + notLocal + " names not local");
    }

    @Test
    void thousandsOfPacketsThroughARealListener() throws IOException {
        LocalNamespaces namespaces = new LocalNamespaces();
        try (Forwarder forwarder = new Forwarder(new Forwarder.Settings(List.of(), Duration.ofMillis(200), 1024));
             DnsServer server = new DnsServer(namespaces, forwarder, DnsServerTest.LOOPBACK);
             DatagramChannel client = DatagramChannel.open()) {
            forwarder.start();
            server.start();
            server.update(table, Map.of(c1.id(), c1, c2.id(), c2));
            int port = server.ports(c1.id()).orElseThrow().udp();
            client.connect(new InetSocketAddress(DnsServerTest.LOOPBACK, port));
            client.configureBlocking(false);
            SplittableRandom random = new SplittableRandom(7);
            ByteBuffer in = ByteBuffer.allocate(65535);
            int replies = 0;
            for (int i = 0; i < OVER_UDP; i++) {
                client.write(ByteBuffer.wrap(packet(random)));
                replies += drain(client, in);
            }
            assertTrue(replies > 0);
            // UDP may lose the probe while the socket is still full of fuzz: retry like a client.
            Message m = askWithRetries(port, query("c2.", Type.A));
            assertEquals("172.18.0.3", m.getSection(Section.ANSWER).getFirst().rdataToString());
            assertEquals(Rcode.SERVFAIL, askWithRetries(port, query("elsewhere.example.", Type.A)).getRcode());
        }
    }

    /** Up to 10 probes of 2 s: the server may still be working through the fuzz on a loaded machine. */
    private static Message askWithRetries(int port, byte[] query) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return DnsServerTest.udp(port, query, 2000);
            } catch (java.net.SocketTimeoutException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private static int drain(DatagramChannel client, ByteBuffer in) throws IOException {
        int n = 0;
        while (true) {
            in.clear();
            int got;
            try {
                got = client.read(in);
            } catch (java.net.PortUnreachableException e) {
                return n;
            }
            if (got <= 0) {
                return n;
            }
            byte[] wire = Arrays.copyOf(in.array(), got);
            assertParses(wire, new byte[0]);
            n++;
        }
    }
}
