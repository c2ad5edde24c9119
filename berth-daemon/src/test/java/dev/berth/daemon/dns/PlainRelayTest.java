package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.parse;
import static dev.berth.daemon.dns.Tables.query;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The forwarded path without dnsjava: which upstream replies are relayed byte for byte
 * ({@link ForwardedQuery#relaysAsIs}), that the others still go through dnsjava's checks (and end
 * as before: relayed written again, or the next server), and that a reply from another source is
 * dropped even with the right id.
 */
class PlainRelayTest {
    private static final Duration ANSWERED = Duration.ofSeconds(5);

    /** A plain query's key as a DNS server thread makes it from the bytes. */
    static AnswerCache.Key key(byte[] query) {
        PlainAnswers plain = new PlainAnswers();
        int r = plain.answer(query, query.length, Tables.sandbox("c1", '1').id(), Tables.forwarding(), Resolver.UDP_LIMIT,
                new byte[4096]);
        assertEquals(PlainAnswers.NOT_LOCAL, r, "a plain query");
        return plain.key().copy();
    }

    static ForwardedQuery plain(byte[] query) {
        AnswerCache.Key k = key(query);
        return ForwardedQuery.plain(query, k.limit(), k.edns());
    }

    /** Header (the query's id, QR RD RA, rcode), the query's question, then {@code records} as they are. */
    static byte[] reply(byte[] q, int rcode, int an, int ns, int ar, byte[]... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        out.write(0x81);
        out.write(0x80 | rcode);
        out.writeBytes(new byte[] {0, 1, 0, (byte) an, 0, (byte) ns, 0, (byte) ar});
        out.write(q, 12, UpstreamAnswersTest.questionEnd(q) - 12);
        for (byte[] r : records) {
            out.writeBytes(r);
        }
        return out.toByteArray();
    }

    /** An A record named by a pointer to the question. */
    static byte[] a(int last) {
        return new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 198, 51, 100, (byte) last};
    }

    private static byte[] edns(byte[] query) {
        Message m = parse(query);
        m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        return m.toWire();
    }

    @Test
    void usualAnswersAreRelayedAsTheyCame() throws IOException {
        byte[] q = query("www.example.", Type.A);
        Message qm = parse(q);
        Name www = qm.getQuestion().getName();
        Name cdn = Name.fromString("edge.cdn.example.");
        Message r = Responses.replyTo(qm, Rcode.NOERROR);
        r.addRecord(new CNAMERecord(www, DClass.IN, 30, cdn), Section.ANSWER);
        r.addRecord(new ARecord(cdn, DClass.IN, 30, InetAddress.ofLiteral("192.0.2.7")), Section.ANSWER);
        r.addRecord(new MXRecord(cdn, DClass.IN, 30, 10, Name.fromString("mx.cdn.example.")), Section.ADDITIONAL);
        byte[] wire = r.toWire(); // dnsjava compresses: pointers in owners and in rdata
        assertTrue(plain(q).relaysAsIs(wire));
        assertTrue(ForwardedQuery.of(q, false).relaysAsIs(wire), "a query dnsjava read, too");

        Message nx = Responses.replyTo(qm, Rcode.NXDOMAIN);
        nx.addRecord(new SOARecord(Name.fromString("example."), DClass.IN, 60, Name.fromString("ns.example."),
                Name.fromString("h.example."), 1, 2, 3, 4, 5), Section.AUTHORITY);
        assertTrue(plain(q).relaysAsIs(nx.toWire()));

        byte[] e = edns(q);
        Message em = parse(e);
        Message withOpt = Responses.replyTo(em, Rcode.NOERROR);
        withOpt.addRecord(new ARecord(www, DClass.IN, 30, InetAddress.ofLiteral("192.0.2.8")), Section.ANSWER);
        assertTrue(plain(e).relaysAsIs(withOpt.toWire()), "an OPT without options to an EDNS query");

        byte[] spelled = query("wWw.ExAmple.", Type.A);
        byte[] lower = reply(q, 0, 1, 0, 0, a(1));
        lower[0] = spelled[0];
        lower[1] = spelled[1];
        assertTrue(plain(spelled).relaysAsIs(lower), "the question's name compares case-insensitively, as dnsjava's");
    }

    /** Replies the bytes do not take: dnsjava's verdict on each is what it was before this path. */
    @Test
    void everythingElseGoesThroughDnsjavasCheck() {
        byte[] q = query("www.example.", Type.A);
        ForwardedQuery fq = plain(q);
        int end = UpstreamAnswersTest.questionEnd(q);
        byte[] good = reply(q, 0, 1, 0, 0, a(1));
        assertTrue(fq.relaysAsIs(good));
        record Case(String what, byte[] reply, ForwardedQuery.Verdict verdict) {
        }
        byte[] otherId = good.clone();
        otherId[1] ^= 1;
        byte[] otherName = query("wwx.example.", Type.A);
        byte[] otherType = good.clone();
        otherType[end - 3] = 28;
        byte[] otherClass = good.clone();
        otherClass[end - 1] = 3;
        byte[] forward = reply(q, 0, 1, 0, 0, new byte[] {(byte) 0xc0, (byte) (end + 2), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4,
                1, 2, 3, 4});
        byte[] self = reply(q, 0, 1, 0, 0, new byte[] {(byte) 0xc0, (byte) end, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4});
        byte[] intoHeader = reply(q, 0, 1, 0, 0, new byte[] {(byte) 0xc0, 4, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4});
        byte[] longA = reply(q, 0, 1, 0, 0, new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 1, 2, 3, 4, 5});
        byte[] shortAaaa = reply(q, 0, 1, 0, 0, new byte[] {(byte) 0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4});
        byte[] cnameRunsOver = reply(q, 0, 1, 0, 0, new byte[] {(byte) 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 3, 5, 'a',
                'b', 'c', 'd', 'e', 0});
        byte[] labelOffTheEnd = reply(q, 0, 1, 0, 0, new byte[] {9, 'a', 'b'});
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        byte[] countTooHigh = reply(q, 0, 2, 0, 0, a(1));
        byte[] countTooLow = reply(q, 0, 0, 0, 0, a(1));
        byte[] noQuestion = good.clone();
        noQuestion[5] = 0;
        byte[] truncated = good.clone();
        truncated[2] |= 0x02;
        byte[] z = good.clone();
        z[3] |= 0x40;
        byte[] servfail = reply(q, Rcode.SERVFAIL, 1, 0, 0, a(1));
        byte[] refused = reply(q, Rcode.REFUSED, 0, 0, 0);
        byte[] notify = good.clone();
        notify[2] = (byte) (0x80 | 4 << 3);
        byte[] opt = new byte[] {0, 0, 41, 4, (byte) 0xd0, 0, 0, 0, 0, 0, 0};
        byte[] optUnasked = reply(q, 0, 1, 0, 1, a(1), opt);
        byte[] optInAnswers = reply(q, 0, 2, 0, 0, a(1), opt);
        byte[] txt = reply(q, 0, 1, 0, 0, new byte[] {(byte) 0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 2, 1, 'x'});
        byte[] tooBig = UpstreamAnswersTest.answers(q, 40); // 40 A records: past 512
        // a name of 256 bytes: 63-byte labels reached through pointers
        ByteArrayOutputStream longName = new ByteArrayOutputStream();
        int first = end;
        for (int i = 0; i < 3; i++) {
            longName.write(63);
            longName.writeBytes("x".repeat(63).getBytes());
        }
        longName.write(62);
        longName.writeBytes("y".repeat(62).getBytes());
        longName.write(0); // 4 labels: 64*3 + 63 + 1 = 256 bytes
        byte[] name = longName.toByteArray();
        byte[] cname = new byte[10 + name.length];
        cname[1] = 5;
        cname[3] = 1;
        cname[7] = 60;
        cname[8] = (byte) (name.length >> 8);
        cname[9] = (byte) name.length;
        System.arraycopy(name, 0, cname, 10, name.length);
        byte[] tooLongName = reply(q, 0, 1, 0, 0, concat(new byte[] {(byte) 0xc0, 12}, cname));
        assertTrue(first > 0);
        List<Case> cases = List.of(
                new Case("another id", otherId, ForwardedQuery.Verdict.FAILED),
                new Case("another name", reply(otherName, 0, 1, 0, 0, a(1)), ForwardedQuery.Verdict.FAILED),
                new Case("another type", otherType, ForwardedQuery.Verdict.FAILED),
                new Case("another class", otherClass, ForwardedQuery.Verdict.FAILED),
                new Case("a pointer forward", forward, ForwardedQuery.Verdict.FAILED),
                new Case("a pointer to itself", self, ForwardedQuery.Verdict.FAILED),
                new Case("a pointer into the header", intoHeader, null),
                new Case("an A of 5 bytes", longA, ForwardedQuery.Verdict.FAILED),
                new Case("an AAAA of 4 bytes", shortAaaa, ForwardedQuery.Verdict.FAILED),
                new Case("a CNAME past its rdata", cnameRunsOver, ForwardedQuery.Verdict.FAILED),
                new Case("a label off the end", labelOffTheEnd, ForwardedQuery.Verdict.FAILED),
                new Case("a trailing byte", trailing, ForwardedQuery.Verdict.FAILED),
                new Case("one record more counted", countTooHigh, ForwardedQuery.Verdict.FAILED),
                new Case("one record fewer counted", countTooLow, ForwardedQuery.Verdict.FAILED),
                new Case("no question", noQuestion, ForwardedQuery.Verdict.FAILED),
                new Case("SERVFAIL", servfail, ForwardedQuery.Verdict.FAILED),
                new Case("REFUSED", refused, ForwardedQuery.Verdict.FAILED),
                new Case("another opcode", notify, ForwardedQuery.Verdict.FAILED),
                new Case("an OPT in the answers", optInAnswers, ForwardedQuery.Verdict.FAILED),
                new Case("a name of 256 bytes", tooLongName, ForwardedQuery.Verdict.FAILED),
                new Case("TC", truncated, ForwardedQuery.Verdict.TRUNCATED),
                new Case("the Z bit (dnsjava's copy drops it)", z, ForwardedQuery.Verdict.ANSWER),
                new Case("an OPT the query did not have (dnsjava's copy drops it)", optUnasked,
                        ForwardedQuery.Verdict.ANSWER),
                new Case("a TXT record (dnsjava reads it)", txt, ForwardedQuery.Verdict.ANSWER),
                new Case("too big for the client (dnsjava cuts it)", tooBig, ForwardedQuery.Verdict.ANSWER));
        for (Case c : cases) {
            assertFalse(fq.relaysAsIs(c.reply()), c.what() + ": " + HexFormat.of().formatHex(c.reply()));
            if (c.verdict() != null) {
                assertEquals(c.verdict(), fq.check(c.reply()).verdict(), c.what());
            }
        }
        byte[] e = edns(q);
        ForwardedQuery eq = plain(e);
        byte[] badvers = reply(e, 0, 1, 0, 1, a(1), new byte[] {0, 0, 41, 4, (byte) 0xd0, 1, 0, 0, 0, 0, 0});
        byte[] options = reply(e, 0, 1, 0, 1, a(1), new byte[] {0, 0, 41, 4, (byte) 0xd0, 0, 0, 0, 0, 0, 4, 0, 3, 0, 0});
        byte[] twoOpts = reply(e, 0, 1, 0, 2, a(1), opt, opt);
        byte[] okOpt = reply(e, 0, 1, 0, 1, a(1), opt);
        assertTrue(eq.relaysAsIs(okOpt));
        assertFalse(eq.relaysAsIs(badvers), "an extended rcode");
        assertFalse(eq.relaysAsIs(options), "an OPT with an option");
        assertEquals(ForwardedQuery.Verdict.ANSWER, eq.check(options).verdict());
        assertFalse(eq.relaysAsIs(twoOpts), "two OPTs");
        assertEquals(ForwardedQuery.Verdict.FAILED, eq.check(twoOpts).verdict());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] askPlain(Forwarder f, byte[] query) throws Exception {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        f.forwardPlain(query, key(query), reply::complete);
        return reply.get(10, TimeUnit.SECONDS);
    }

    private static Forwarder start(Duration timeout, boolean cache, InetSocketAddress... upstreams) {
        Forwarder f = new Forwarder(new Forwarder.Settings(List.of(upstreams), timeout, 1024).withCache(cache));
        f.start();
        return f;
    }

    /** Through the forwarder: the client gets the upstream's bytes with its own id; the cache keeps them. */
    @Test
    void theClientGetsTheUpstreamsBytesWithItsId() throws Exception {
        AtomicReference<byte[]> sent = new AtomicReference<>();
        UnaryOperator<byte[]> answer = q -> {
            Message m = parse(q);
            Message r = Responses.replyTo(m, Rcode.NOERROR);
            r.addRecord(new ARecord(m.getQuestion().getName(), DClass.IN, 60, InetAddress.ofLiteral("192.0.2.9")),
                    Section.ANSWER);
            byte[] w = r.toWire();
            sent.set(w);
            return w;
        };
        try (FakeUpstream up = new FakeUpstream(answer, q -> null); Forwarder f = start(ANSWERED, true, up.address())) {
            byte[] q = query("www.example.", Type.A);
            byte[] got = askPlain(f, q);
            byte[] upstream = sent.get();
            assertEquals(q[0], got[0]);
            assertEquals(q[1], got[1]);
            assertArrayEquals(Arrays.copyOfRange(upstream, 2, upstream.length), Arrays.copyOfRange(got, 2, got.length));
            byte[] again = query("WWW.example.", Type.A);
            Message cached = parse(askPlain(f, again));
            assertEquals(1, up.udpQueries.get(), "the second asks the cache");
            assertEquals(parse(again).getHeader().getID(), cached.getHeader().getID());
            assertEquals(parse(again).getQuestion().getName().toString(), cached.getQuestion().getName().toString());
            assertEquals(0, f.inFlight());
        }
    }

    /** A query that came as bytes still gets what dnsjava made of a reply the bytes did not take. */
    @Test
    void aReplyTheBytesDoNotTakeIsWrittenAgainOrSkipped() throws Exception {
        byte[] q = query("www.example.", Type.A);
        UnaryOperator<byte[]> withUnaskedOpt = query -> reply(query, 0, 1, 0, 1, a(1),
                new byte[] {0, 0, 41, 4, (byte) 0xd0, 0, 0, 0, 0, 0, 0});
        try (FakeUpstream up = new FakeUpstream(withUnaskedOpt, x -> null); Forwarder f = start(ANSWERED, false,
                up.address())) {
            Message m = parse(askPlain(f, q));
            assertEquals(null, m.getOPT(), "no OPT to a query without one");
            assertEquals(1, m.getSection(Section.ANSWER).size());
        }
        UnaryOperator<byte[]> broken = query -> reply(query, 0, 2, 0, 0, a(1));
        try (FakeUpstream bad = new FakeUpstream(broken, x -> null);
             FakeUpstream good = new FakeUpstream(query -> reply(query, 0, 2, 0, 0, a(1), a(2)), x -> null);
             Forwarder f = start(ANSWERED, false, bad.address(), good.address())) {
            Message m = parse(askPlain(f, q));
            assertEquals(2, m.getSection(Section.ANSWER).size(), "the next server's answer");
        }
        try (FakeUpstream bad = new FakeUpstream(broken, x -> null);
             Forwarder f = start(Duration.ofMillis(300), false, bad.address())) {
            assertEquals(Rcode.SERVFAIL, parse(askPlain(f, q)).getRcode());
        }
        UnaryOperator<byte[]> tc = query -> {
            byte[] r = reply(query, 0, 1, 0, 0, a(1));
            r[2] |= 0x02;
            return r;
        };
        try (FakeUpstream up = new FakeUpstream(tc, query -> reply(query, 0, 2, 0, 0, a(1), a(2)));
             Forwarder f = start(ANSWERED, false, up.address())) {
            Message m = parse(askPlain(f, q));
            assertEquals(2, m.getSection(Section.ANSWER).size(), "asked again over TCP");
            assertFalse(m.getHeader().getFlag(Flags.TC));
            assertEquals(1, up.tcpQueries.get());
        }
        try (Forwarder f = start(ANSWERED, false)) {
            assertEquals(Rcode.SERVFAIL, parse(askPlain(f, q)).getRcode(), "no upstream");
        }
    }

    /**
     * A reply with the query's very id, sent to the forwarder's sockets from another address and
     * port, never counts: the sockets are connected to the upstream, and the kernel drops the rest.
     */
    @Test
    void aSpoofedReplyWithTheRightIdIsDropped() throws Exception {
        AtomicReference<Forwarder> forwarder = new AtomicReference<>();
        AtomicInteger spoofed = new AtomicInteger();
        try (DatagramChannel spoofer = DatagramChannel.open()) {
            spoofer.bind(new InetSocketAddress("127.0.0.1", 0));
            AtomicReference<InetSocketAddress> upstream = new AtomicReference<>();
            UnaryOperator<byte[]> answer = q -> {
                // the query's id as it went upstream, to every socket the forwarder has to us
                byte[] forged = reply(q, 0, 1, 0, 0, a(66));
                try {
                    Set<Integer> ports = forwarder.get().ports(upstream.get());
                    for (int port : ports) {
                        spoofer.send(ByteBuffer.wrap(forged), new InetSocketAddress("127.0.0.1", port));
                        spoofed.incrementAndGet();
                    }
                    Thread.sleep(100); // the forged replies are there first
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return reply(q, 0, 1, 0, 0, a(7));
            };
            try (FakeUpstream up = new FakeUpstream(answer, x -> null)) {
                upstream.set(up.address());
                try (Forwarder f = start(ANSWERED, false, up.address())) {
                    forwarder.set(f);
                    byte[] q = query("www.example.", Type.A);
                    Message m = parse(askPlain(f, q));
                    assertTrue(spoofed.get() > 0, "forged replies were sent");
                    assertEquals("198.51.100.7", m.getSection(Section.ANSWER).getFirst().rdataToString());
                }
            }
        }
    }
}
