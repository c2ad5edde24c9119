package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.parse;
import static dev.berth.daemon.dns.Tables.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The forwarder's UDP sockets and cache over real loopback sockets: random source ports that are
 * renewed, random query ids, replies matched to their query by socket and id, forged or stray
 * datagrams ignored, and the cache on and off. No timing: every wait is for an answer that comes.
 */
class UpstreamSocketsTest {
    private static final Duration ANSWERED = Duration.ofSeconds(30);

    /** An upstream on 127.0.0.1 that hands every query, with where it came from, to {@code serve}. */
    private static final class Upstream implements AutoCloseable {
        final DatagramChannel channel;
        final List<InetSocketAddress> sources = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> ids = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        Upstream(BiConsumer<byte[], InetSocketAddress> serve) throws IOException {
            channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                ByteBuffer buf = ByteBuffer.allocate(65535);
                while (channel.isOpen()) {
                    try {
                        buf.clear();
                        InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                        byte[] q = new byte[buf.flip().remaining()];
                        buf.get(q);
                        sources.add(from);
                        ids.add(parse(q).getHeader().getID());
                        serve.accept(q, from);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        void send(byte[] datagram, InetSocketAddress to) {
            try {
                channel.send(ByteBuffer.wrap(datagram), to);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            channel.close();
            thread.join(5000);
        }
    }

    /** An A answer to {@code q} with this id, address and TTL. */
    private static byte[] answer(byte[] q, int id, String address, long ttl) {
        Message query = parse(q);
        Message r = Responses.replyTo(query, Rcode.NOERROR);
        r.getHeader().setID(id);
        r.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, ttl, InetAddress.ofLiteral(address)),
                Section.ANSWER);
        return r.toWire();
    }

    /** The address a test upstream gives name {@code nN.example}: 192.0.2.N. */
    private static String addressOf(byte[] q) {
        String first = parse(q).getQuestion().getName().getLabelString(0);
        return "192.0.2." + first.substring(1);
    }

    private static byte[] queryWithId(String name, int id) {
        Message m = parse(query(name, Type.A));
        m.getHeader().setID(id);
        return m.toWire();
    }

    private static Forwarder start(InetSocketAddress upstream, int sockets, int renewAfter, boolean cache) {
        Forwarder f = new Forwarder(new Forwarder.Settings(List.of(upstream), ANSWERED, 1024, sockets, renewAfter,
                cache, 64, 0));
        f.start();
        return f;
    }

    private static CompletableFuture<Message> ask(Forwarder f, byte[] query) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        f.forward(query, false, reply::complete);
        return reply.thenApply(Tables::parse);
    }

    private static String address(Message m) {
        return m.getSection(Section.ANSWER).getFirst().rdataToString();
    }

    @Test
    void sourcePortsAreDrawnAtRandomAndRenewedAndIdsAreTheForwardersOwn() throws Exception {
        Upstream[] self = new Upstream[1];
        try (Upstream up = new Upstream((q, from) -> self[0].send(answer(q, parse(q).getHeader().getID(),
                addressOf(q), 0), from));
             Forwarder f = start(up.address(), 2, 5, false)) {
            self[0] = up;
            for (int i = 1; i <= 100; i++) {
                Message m = ask(f, queryWithId("n" + (i % 200) + ".example.", 0x1234)).get(30, TimeUnit.SECONDS);
                assertEquals(0x1234, m.getHeader().getID(), "the client gets its own id back");
                assertEquals("192.0.2." + (i % 200), address(m));
            }
            Set<Integer> ports = new HashSet<>();
            up.sources.forEach(s -> ports.add(s.getPort()));
            // 100 queries, a socket renewed after 5: about 20 sockets, each on a port drawn anew
            assertTrue(ports.size() >= 15, "distinct source ports: " + ports.size());
            int spread = Collections.max(ports) - Collections.min(ports);
            assertTrue(spread > 1000, "ports drawn from the whole range, not counted up: " + ports);
            assertTrue(new HashSet<>(up.ids).size() >= 90, "the upstream sees random ids, not the client's 0x1234: "
                    + up.ids);
            assertTrue(f.ports(up.address()).size() <= 2, "at most 2 sockets open to the upstream");
        }
    }

    @Test
    void repliesInAnyOrderReachTheQueryTheyAnswerEvenWithTheSameClientId() throws Exception {
        int n = 20;
        List<byte[]> held = new ArrayList<>();
        List<InetSocketAddress> from = new ArrayList<>();
        Upstream[] self = new Upstream[1];
        try (Upstream up = new Upstream((q, source) -> {
            held.add(q);
            from.add(source);
            if (held.size() == n) { // all in: answer them last first
                for (int i = n - 1; i >= 0; i--) {
                    byte[] query = held.get(i);
                    self[0].send(answer(query, parse(query).getHeader().getID(), addressOf(query), 0), from.get(i));
                }
            }
        });
             Forwarder f = start(up.address(), 3, 1000, false)) {
            self[0] = up;
            List<CompletableFuture<Message>> replies = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                replies.add(ask(f, queryWithId("n" + i + ".example.", 0x4242)));
            }
            for (int i = 1; i <= n; i++) {
                Message m = replies.get(i - 1).get(30, TimeUnit.SECONDS);
                assertEquals("192.0.2." + i, address(m));
                assertEquals(0x4242, m.getHeader().getID());
                assertEquals("n" + i + ".example.", m.getQuestion().getName().toString());
            }
        }
    }

    @Test
    void forgedAndStrayDatagramsAreIgnored() throws Exception {
        Upstream[] self = new Upstream[1];
        try (DatagramChannel attacker = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             Upstream up = new Upstream((q, source) -> {
                 int id = parse(q).getHeader().getID();
                 try {
                     // the right id from another port: a connected socket never sees it
                     attacker.send(ByteBuffer.wrap(answer(q, id, "203.0.113.66", 60)), source);
                 } catch (IOException e) {
                     throw new IllegalStateException(e);
                 }
                 self[0].send(answer(q, (id + 1) & 0xffff, "203.0.113.67", 60), source); // a wrong id
                 self[0].send(q, source);                                               // not a reply
                 self[0].send(new byte[5], source);                                     // no header
                 self[0].send(answer(q, id, "192.0.2.10", 60), source);                 // the answer
             });
             Forwarder f = start(up.address(), 1, 1000, false)) {
            self[0] = up;
            for (int i = 0; i < 5; i++) {
                Message m = ask(f, queryWithId("n10.example.", 0x0101)).get(30, TimeUnit.SECONDS);
                assertEquals("192.0.2.10", address(m));
                assertEquals(1, m.getSection(Section.ANSWER).size());
            }
            assertEquals(0, f.inFlight());
        }
    }

    @Test
    void theCacheAnswersUntilSwitchedOff() throws Exception {
        Upstream[] self = new Upstream[1];
        try (Upstream up = new Upstream((q, from) -> self[0].send(answer(q, parse(q).getHeader().getID(),
                addressOf(q), 3600), from));
             Forwarder f = start(up.address(), 2, 100, true)) {
            self[0] = up;
            assertEquals("192.0.2.7", address(ask(f, queryWithId("n7.example.", 1)).get(30, TimeUnit.SECONDS)));
            Message cached = ask(f, queryWithId("N7.Example.", 2)).get(30, TimeUnit.SECONDS);
            assertEquals("192.0.2.7", address(cached));
            assertEquals(2, cached.getHeader().getID());
            assertEquals("N7.Example.", cached.getQuestion().getName().toString());
            assertTrue(cached.getSection(Section.ANSWER).getFirst().getTTL() <= 3600);
            assertEquals(1, up.sources.size(), "the second query was answered from the cache");

            f.cache(false);
            ask(f, queryWithId("n7.example.", 3)).get(30, TimeUnit.SECONDS);
            ask(f, queryWithId("n7.example.", 4)).get(30, TimeUnit.SECONDS);
            assertEquals(3, up.sources.size(), "cache off: every query goes upstream");

            f.cache(true);
            ask(f, queryWithId("n7.example.", 5)).get(30, TimeUnit.SECONDS);
            ask(f, queryWithId("n7.example.", 6)).get(30, TimeUnit.SECONDS);
            assertEquals(4, up.sources.size(), "switched on again: emptied, then filled by the next answer");

            f.upstreams(List.of(up.address()));
            ask(f, queryWithId("n7.example.", 7)).get(30, TimeUnit.SECONDS);
            assertEquals(5, up.sources.size(), "new upstreams empty the cache");
        }
    }
}
