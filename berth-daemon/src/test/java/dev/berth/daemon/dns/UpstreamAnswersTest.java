package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.parse;
import static dev.berth.daemon.dns.Tables.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Crafted upstream replies through the forwarder: too big for the client, broken, for another
 * query, cut short or empty. The client gets a valid answer within its size or SERVFAIL, never the
 * upstream's bytes as they came.
 */
class UpstreamAnswersTest {
    /**
     * Per-attempt timeout where the upstream answers (validly or not): never reached, so a slow
     * machine cannot turn an answer into a timeout; it costs nothing.
     */
    private static final Duration ANSWERED = Duration.ofSeconds(5);
    /** Where an ignored reply is waited out before a server that must answer: the test takes this long. */
    private static final Duration WAITED_OUT = Duration.ofSeconds(2);
    /** Where a timeout ends in SERVFAIL whatever else happens: short, so the test is quick. */
    private static final Duration SHORT = Duration.ofMillis(300);
    /** Header (12) + question "big.example." A IN (17) + 200 A records of 16 bytes: the 3229. */
    static final int BIG = 3229;

    /** The answer to {@code q} (id, flags, question copied) with {@code n} A records 198.51.100.x. */
    static byte[] answers(byte[] q, int n) {
        int questionEnd = questionEnd(q);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        out.write(0x81);
        out.write(0x80);
        out.writeBytes(new byte[] {0, 1, (byte) (n >> 8), (byte) n, 0, 0, 0, 0});
        out.write(q, 12, questionEnd - 12);
        for (int i = 0; i < n; i++) {
            out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 198, 51, 100,
                    (byte) (i % 250 + 1)});
        }
        return out.toByteArray();
    }

    /** Offset just past the question (name, type, class) of a query without compression. */
    static int questionEnd(byte[] q) {
        int p = 12;
        while (q[p] != 0) {
            p += (q[p] & 0xff) + 1;
        }
        return p + 5;
    }

    private static Forwarder start(InetSocketAddress... upstreams) {
        return start(ANSWERED, upstreams);
    }

    private static Forwarder start(Duration timeout, InetSocketAddress... upstreams) {
        Forwarder f = new Forwarder(new Forwarder.Settings(List.of(upstreams), timeout, 1024));
        f.start();
        return f;
    }

    static byte[] ask(Forwarder f, byte[] query, boolean tcp) throws Exception {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        f.forward(query, tcp, reply::complete);
        return reply.get(10, TimeUnit.SECONDS);
    }

    private static byte[] edns(byte[] query, int size) {
        Message m = parse(query);
        m.addRecord(new OPTRecord(size, 0, 0), Section.ADDITIONAL);
        return m.toWire();
    }

    /** One upstream answering every query over UDP and TCP with {@code craft}; the client's view. */
    private static Message through(UnaryOperator<byte[]> craft, byte[] query, boolean tcp) throws Exception {
        return through(craft, query, tcp, ANSWERED);
    }

    private static Message through(UnaryOperator<byte[]> craft, byte[] query, boolean tcp, Duration timeout)
            throws Exception {
        try (FakeUpstream up = new FakeUpstream(craft, craft); Forwarder f = start(timeout, up.address())) {
            byte[] wire = ask(f, query, tcp);
            Message m = parse(wire);
            assertEquals(parse(query).getHeader().getID(), m.getHeader().getID());
            return m;
        }
    }

    @Test
    void anOversizedAnswerIsTruncatedToTheClientsSizeWithTc() throws Exception {
        byte[] q = query("big.example.", Type.A);
        assertEquals(BIG, answers(q, 200).length);
        try (FakeUpstream up = new FakeUpstream(query -> answers(query, 200), query -> answers(query, 200));
             Forwarder f = start(up.address())) {
            byte[] plain = ask(f, q, false);
            assertTrue(plain.length <= Resolver.UDP_LIMIT, "no EDNS: 512 at most, got " + plain.length);
            assertTrue(parse(plain).getHeader().getFlag(Flags.TC));

            byte[] sized = ask(f, edns(q, 1232), false);
            assertTrue(sized.length <= 1232 && sized.length > Resolver.UDP_LIMIT, "EDNS 1232: " + sized.length);
            assertTrue(parse(sized).getHeader().getFlag(Flags.TC));

            byte[] tiny = ask(f, edns(q, 100), false);
            assertTrue(tiny.length <= Resolver.UDP_LIMIT, "an EDNS size below 512 counts as 512");

            Message full = parse(ask(f, q, true));
            assertFalse(full.getHeader().getFlag(Flags.TC));
            assertEquals(200, full.getSection(Section.ANSWER).size(), "over TCP the whole answer");
        }
    }

    @Test
    void anAnswerThatFitsIsRelayedWithItsRecords() throws Exception {
        Message m = through(query -> answers(query, 3), query("three.example.", Type.A), false);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertFalse(m.getHeader().getFlag(Flags.TC));
        assertEquals(3, m.getSection(Section.ANSWER).size());
        assertEquals("three.example.", m.getQuestion().getName().toString());
        UnaryOperator<byte[]> withOpt = query -> {
            Message r = parse(answers(query, 1));
            r.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
            return r.toWire();
        };
        assertEquals(null, through(withOpt, query("opt.example.", Type.A), false).getOPT(),
                "no OPT record to a client that sent none (RFC 6891)");
        assertEquals(4096, through(withOpt, edns(query("opt.example.", Type.A), 1232), false).getOPT()
                .getPayloadSize());
    }

    @Test
    void aBrokenCompressionPointerGetsServfail() throws Exception {
        for (int pointer : new int[] {0xc0ff, 0xc000 | 29, 0xc000 | 40}) { // past the end, itself, forward
            Message m = through(query -> {
                byte[] r = answers(query, 1);
                int at = questionEnd(query);
                r[at] = (byte) (pointer >> 8);
                r[at + 1] = (byte) pointer;
                return r;
            }, query("big.example.", Type.A), false);
            assertEquals(Rcode.SERVFAIL, m.getRcode(), "pointer " + Integer.toHexString(pointer));
            assertTrue(m.getSection(Section.ANSWER).isEmpty());
        }
    }

    @Test
    void aReplyForAnotherQuestionIsNotTheAnswer() throws Exception {
        byte[] q = query("asked.example.", Type.A);
        byte[] other = query("other.example.", Type.A);
        assertEquals(Rcode.SERVFAIL, through(query -> withIdOf(query, answers(other, 1)), q, false).getRcode());
        byte[] aaaa = query("asked.example.", Type.AAAA);
        assertEquals(Rcode.SERVFAIL, through(query -> withIdOf(query, answers(aaaa, 0)), q, true).getRcode());
        byte[] upper = query("ASKED.example.", Type.A);
        assertEquals(1, through(query -> withIdOf(query, answers(upper, 1)), q, false).getSection(Section.ANSWER)
                .size(), "names compare case-insensitively (0x20 randomisation upstream)");
    }

    @Test
    void aReplyWithAnotherIdIsIgnoredAndTheNextServerAsked() throws Exception {
        byte[] q = query("id.example.", Type.A);
        try (FakeUpstream wrong = new FakeUpstream(query -> {
            byte[] r = answers(query, 1);
            r[1] ^= 0x5a;
            return r;
        }, query -> null);
             FakeUpstream good = new FakeUpstream(query -> answers(query, 2), query -> null);
             Forwarder f = start(WAITED_OUT, wrong.address(), good.address())) {
            Message m = parse(ask(f, q, false));
            assertEquals(2, m.getSection(Section.ANSWER).size());
            assertEquals(1, good.udpQueries.get());
        }
        try (FakeUpstream wrong = new FakeUpstream(query -> {
            byte[] r = answers(query, 1);
            r[0] ^= 0x11;
            return r;
        }, query -> null);
             Forwarder f = start(SHORT, wrong.address())) {
            assertEquals(Rcode.SERVFAIL, parse(ask(f, q, false)).getRcode());
        }
    }

    @Test
    void cutShortEmptyOrTrailingBytesGetServfail() throws Exception {
        // SERVFAIL whether the forwarder rejects the bytes or waits them out as no reply (fewer than a
        // header's): the short timeout keeps the test quick and cannot change the outcome.
        byte[] q = query("cut.example.", Type.A);
        for (int keep : new int[] {0, 5, 12, 20, 40, 50}) {
            assertEquals(Rcode.SERVFAIL, through(query -> Arrays.copyOf(answers(query, 2), keep), q, false, SHORT)
                    .getRcode(), "cut to " + keep);
        }
        assertEquals(Rcode.SERVFAIL, through(query -> Arrays.copyOf(answers(query, 2), 80), q, false, SHORT).getRcode(),
                "trailing zero bytes");
        assertEquals(Rcode.SERVFAIL, through(query -> Arrays.copyOf(answers(query, 2), 40), q, true, SHORT).getRcode(),
                "cut short over TCP");
    }

    @Test
    void oddRcodesAndOpcodesAreNotAnswers() throws Exception {
        byte[] q = query("odd.example.", Type.A);
        for (int rcode : new int[] {Rcode.YXDOMAIN, Rcode.NOTAUTH, 15}) {
            Message m = through(query -> {
                byte[] r = answers(query, 1);
                r[3] = (byte) (0x80 | rcode);
                return r;
            }, q, false);
            assertEquals(Rcode.SERVFAIL, m.getRcode(), "rcode " + rcode);
        }
        Message m = through(query -> {
            byte[] r = answers(query, 1);
            r[2] = (byte) (0x80 | Opcode.NOTIFY << 3);
            return r;
        }, q, false);
        assertEquals(Rcode.SERVFAIL, m.getRcode());
        Message nx = through(query -> {
            byte[] r = answers(query, 0);
            r[3] = (byte) (0x80 | Rcode.NXDOMAIN);
            return r;
        }, q, false);
        assertEquals(Rcode.NXDOMAIN, nx.getRcode(), "NXDOMAIN still passes through");
    }

    @Test
    void aTruncatedUdpReplyIsRelayedWhenTcpFails() throws Exception {
        byte[] q = query("tc.example.", Type.A);
        try (FakeUpstream up = new FakeUpstream(query -> {
            byte[] r = answers(query, 1);
            r[2] |= 0x02; // TC, and then garbage after the question
            r[questionEnd(query)] = (byte) 0xc0;
            r[questionEnd(query) + 1] = (byte) 0xff;
            return r;
        }, query -> null);
             Forwarder f = start(up.address())) {
            byte[] wire = ask(f, q, false);
            Message m = parse(wire);
            assertTrue(m.getHeader().getFlag(Flags.TC));
            assertEquals(Rcode.NOERROR, m.getRcode());
            assertEquals(0, m.getSection(Section.ANSWER).size(), "only what parsed is relayed");
            assertEquals(questionEnd(q), wire.length, "header and question, counts that match");
        }
    }

    private static byte[] withIdOf(byte[] query, byte[] reply) {
        reply[0] = query[0];
        reply[1] = query[1];
        return reply;
    }
}
