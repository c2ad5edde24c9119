package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Valid upstream answers, mutated (bytes flipped, cut, grown, counts and pointers forged), through
 * the forwarder's checks: no exception escapes, and whatever reaches the client is a valid reply
 * to its query (parses to its last byte, same id and question, within the client's size).
 */
class UpstreamFuzzTest {
    /** 200,000 in CI; {@code -Dberth.upstreamfuzz.answers=1000000} for the figure (bench/README). */
    private static final int DIRECT = Integer.getInteger("berth.upstreamfuzz.answers", 200_000);
    private static final int THROUGH_FORWARDER = 2_000;

    private record Seed(byte[] query, byte[] answer) {
    }

    private static final List<Seed> SEEDS = seeds();

    private static List<Seed> seeds() {
        try {
            byte[] a = query("big.example.", Type.A);
            byte[] aaaa = query("v6.example.", Type.AAAA);
            Message m6 = Tables.parse(aaaa);
            Message r6 = Responses.replyTo(m6, Rcode.NOERROR);
            Name v6 = m6.getQuestion().getName();
            for (int i = 1; i <= 40; i++) {
                r6.addRecord(new AAAARecord(v6, DClass.IN, 60, InetAddress.ofLiteral("2001:db8::" + i)), Section.ANSWER);
            }
            byte[] txt = withEdns(query("t.example.", Type.TXT));
            Message mt = Tables.parse(txt);
            Message rt = Responses.replyTo(mt, Rcode.NOERROR);
            Name t = mt.getQuestion().getName();
            rt.addRecord(new CNAMERecord(t, DClass.IN, 60, Name.fromString("u.example.")), Section.ANSWER);
            rt.addRecord(new TXTRecord(Name.fromString("u.example."), DClass.IN, 60, "x".repeat(200)), Section.ANSWER);
            byte[] nx = query("nx.example.", Type.A);
            Message mn = Tables.parse(nx);
            Message rn = Responses.replyTo(mn, Rcode.NXDOMAIN);
            rn.addRecord(new SOARecord(Name.fromString("example."), DClass.IN, 60, Name.fromString("ns.example."),
                    Name.fromString("h.example."), 1, 2, 3, 4, 5), Section.AUTHORITY);
            byte[] ea = withEdns(query("www.example.", Type.A));
            Message me = Tables.parse(ea);
            Message re = Responses.replyTo(me, Rcode.NOERROR);
            Name edge = Name.fromString("edge.cdn.example.");
            re.addRecord(new CNAMERecord(me.getQuestion().getName(), DClass.IN, 60, edge), Section.ANSWER);
            re.addRecord(new ARecord(edge, DClass.IN, 60, InetAddress.ofLiteral("192.0.2.1")), Section.ANSWER);
            re.addRecord(new NSRecord(Name.fromString("cdn.example."), DClass.IN, 60, Name.fromString("ns.cdn.example.")),
                    Section.AUTHORITY);
            re.addRecord(new MXRecord(edge, DClass.IN, 60, 5, Name.fromString("mx.cdn.example.")), Section.ADDITIONAL);
            return List.of(new Seed(a, UpstreamAnswersTest.answers(a, 200)), new Seed(a, UpstreamAnswersTest.answers(a, 3)),
                    new Seed(aaaa, r6.toWire()), new Seed(txt, rt.toWire()), new Seed(nx, rn.toWire()),
                    new Seed(ea, re.toWire()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] withEdns(byte[] query) {
        Message m = Tables.parse(query);
        m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        return m.toWire();
    }

    private static byte[] mutate(byte[] answer, SplittableRandom random) {
        byte[] p = answer.clone();
        switch (random.nextInt(6)) {
            case 0 -> {
                for (int i = random.nextInt(1, 6); i > 0; i--) {
                    p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> p = Arrays.copyOf(p, random.nextInt(p.length + 1));
            case 2 -> {
                p = Arrays.copyOf(p, p.length + random.nextInt(1, 64));
                for (int i = 0; i < 4; i++) {
                    p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                }
            }
            case 3 -> p[4 + 2 * random.nextInt(4) + 1] = (byte) random.nextInt(256); // a count
            case 4 -> { // a compression pointer anywhere past the header
                int at = random.nextInt(Responses.HEADER, p.length - 1);
                p[at] = (byte) (0xc0 | random.nextInt(64));
                p[at + 1] = (byte) random.nextInt(256);
            }
            default -> {
                p[2] = (byte) random.nextInt(256);
                p[3] = (byte) random.nextInt(256);
            }
        }
        return p;
    }

    /** What the client gets must be a valid reply to its query, within its size. */
    private static void assertValidFor(byte[] query, boolean tcp, byte[] out, byte[] upstream) {
        Message q = Tables.parse(query);
        Message m;
        try {
            m = new Message(out);
        } catch (IOException e) {
            throw new AssertionError("invalid packet to the client from upstream "
                    + HexFormat.of().formatHex(upstream), e);
        }
        int limit = Resolver.sizeLimit(q, tcp ? Resolver.TCP_LIMIT : Resolver.UDP_LIMIT);
        assertTrue(out.length <= limit, () -> out.length + " > " + limit);
        assertEquals(out.length, m.numBytes(), "no trailing bytes");
        assertEquals(q.getHeader().getID(), m.getHeader().getID());
        assertTrue(m.getHeader().getFlag(Flags.QR));
        assertEquals(q.getQuestion(), m.getQuestion());
        if (q.getOPT() == null) {
            assertEquals(null, m.getOPT());
        }
        for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
            assertEquals(m.getHeader().getCount(section), m.getSection(section).size());
        }
    }

    private static boolean plain(byte[] query) {
        return new PlainAnswers().answer(query, query.length, Tables.sandbox("c1", '1').id(), Tables.forwarding(),
                Resolver.UDP_LIMIT, new byte[4096]) == PlainAnswers.NOT_LOCAL;
    }

    /** The same header (id, flags, opcode, rcode) and the same records (TTLs included) in each section. */
    private static void assertSameReply(Message expected, Message actual, byte[] upstream) {
        String hex = HexFormat.of().formatHex(upstream);
        assertEquals(expected.getHeader().toString(), actual.getHeader().toString(), hex);
        for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
            List<Record> e = expected.getSection(section);
            List<Record> a = actual.getSection(section);
            assertEquals(e, a, hex);
            for (int i = 0; section != Section.QUESTION && i < e.size(); i++) {
                assertEquals(e.get(i).getTTL(), a.get(i).getTTL(), hex);
            }
        }
    }

    @Test
    void mutatedAnswersStraightThroughTheChecks() {
        SplittableRandom random = new SplittableRandom(20261205);
        long start = System.nanoTime();
        int relayed = 0;
        int asIs = 0;
        for (int i = 0; i < DIRECT; i++) {
            Seed seed = SEEDS.get(random.nextInt(SEEDS.size()));
            boolean tcp = random.nextInt(4) == 0;
            byte[] upstream = mutate(seed.answer(), random);
            // a plain query as a DNS server thread forwards it (from its bytes), or as dnsjava read it
            ForwardedQuery fq = !tcp && plain(seed.query()) && random.nextBoolean()
                    ? PlainRelayTest.plain(seed.query()) : ForwardedQuery.of(seed.query(), tcp);
            ForwardedQuery.Checked checked;
            byte[] out;
            boolean bytes;
            try {
                bytes = fq.relaysAsIs(upstream);
                checked = fq.check(upstream);
                out = checked.verdict() == ForwardedQuery.Verdict.FAILED ? fq.servfail() : fq.relay(checked.message());
            } catch (RuntimeException e) {
                throw new AssertionError("exception for upstream " + HexFormat.of().formatHex(upstream), e);
            }
            assertValidFor(seed.query(), tcp, out, upstream);
            if (bytes) {
                // what the bytes take, dnsjava takes too, and the client reads the same from both
                assertEquals(ForwardedQuery.Verdict.ANSWER, checked.verdict(), () -> HexFormat.of().formatHex(upstream));
                assertValidFor(seed.query(), tcp, upstream, upstream);
                assertSameReply(Tables.parse(out), Tables.parse(upstream), upstream);
                asIs++;
            }
            if (checked.verdict() != ForwardedQuery.Verdict.FAILED) {
                relayed++;
            }
        }
        System.out.printf("FUZZ-UPSTREAM answers=%d in %.1f s; relayed as answers=%d (as they came: %d), SERVFAIL=%d;"
                + " exceptions=0, invalid replies=0%n", DIRECT, (System.nanoTime() - start) / 1e9, relayed, asIs,
                DIRECT - relayed);
        assertTrue(asIs > DIRECT / 50, "some mutations are still plain answers: " + asIs);
        assertTrue(relayed > DIRECT / 20, "some mutations are still answers: " + relayed);
    }

    @Test
    void mutatedAnswersThroughTheForwarder() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        AtomicReference<byte[]> sent = new AtomicReference<>();
        AtomicReference<Seed> current = new AtomicReference<>();
        java.util.function.UnaryOperator<byte[]> answer = q -> {
            byte[] r = mutate(current.get().answer(), new SplittableRandom(Arrays.hashCode(q)));
            if (r.length >= 2) {
                r[0] = q[0]; // the id matches, or the forwarder would just wait for the timeout
                r[1] = q[1];
            }
            sent.set(r);
            return r;
        };
        try (FakeUpstream up = new FakeUpstream(answer, answer);
             Forwarder f = new Forwarder(new Forwarder.Settings(List.of(up.address()), Duration.ofMillis(50), 1024))) {
            f.start();
            for (int i = 0; i < THROUGH_FORWARDER; i++) {
                Seed seed = SEEDS.get(random.nextInt(SEEDS.size()));
                current.set(seed);
                boolean tcp = random.nextInt(4) == 0;
                byte[] query = seed.query().clone();
                query[0] = (byte) random.nextInt(256);
                query[1] = (byte) random.nextInt(256);
                byte[] out = UpstreamAnswersTest.ask(f, query, tcp);
                assertValidFor(query, tcp, out, sent.get() == null ? new byte[0] : sent.get());
            }
            assertEquals(0, f.inFlight());
        }
    }
}
