package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.parse;
import static dev.berth.daemon.dns.Tables.query;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** The cache on its own, with the clock given: no waiting, no timing. */
class AnswerCacheTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 5_000 * SECOND;

    private static Name name(String s) {
        try {
            return Name.fromString(s);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static AnswerCache.Key key(byte[] query) {
        return AnswerCache.Key.of(ForwardedQuery.of(query, false));
    }

    /** The reply the forwarder would relay for {@code query}: A records with these TTLs. */
    private static byte[] reply(byte[] query, int rcode, long... ttls) {
        Message q = parse(query);
        Message r = Responses.replyTo(q, rcode);
        for (int i = 0; i < ttls.length; i++) {
            r.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, ttls[i],
                    InetAddress.ofLiteral("192.0.2." + (i + 1))), Section.ANSWER);
        }
        return r.toWire();
    }

    private static byte[] withSoa(byte[] reply, long soaTtl, long minimum) {
        Message m = parse(reply);
        m.addRecord(new SOARecord(name("example."), DClass.IN, soaTtl, name("ns.example."), name("admin.example."),
                1, 3600, 600, 86400, minimum), Section.AUTHORITY);
        return m.toWire();
    }

    private static List<Long> ttls(byte[] wire) {
        return parse(wire).getSection(Section.ANSWER).stream().map(Record::getTTL).toList();
    }

    @Test
    void aPositiveAnswerComesBackWithTheAskersIdAndSpellingAndItsTtlsLowered() {
        AnswerCache cache = new AnswerCache(16);
        byte[] first = query("www.example.com.", Type.A);
        cache.put(key(first), reply(first, Rcode.NOERROR, 60, 300), T0);

        Message asked = parse(query("WWW.Example.COM.", Type.A));
        asked.getHeader().setID((parse(first).getHeader().getID() + 1) & 0xffff);
        byte[] second = asked.toWire();
        byte[] hit = cache.get(key(second), second, T0 + 7 * SECOND + SECOND / 2);
        assertNotNull(hit);
        Message m = parse(hit);
        assertEquals(parse(second).getHeader().getID(), m.getHeader().getID());
        assertEquals("WWW.Example.COM.", m.getQuestion().getName().toString());
        assertEquals(List.of(53L, 293L), ttls(hit), "each TTL less the 7 whole seconds it was kept");
        assertEquals(List.of("192.0.2.1", "192.0.2.2"),
                m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList());
    }

    @Test
    void anAnswerExpiresWithItsSmallestTtl() {
        AnswerCache cache = new AnswerCache(16);
        byte[] q = query("a.example.", Type.A);
        cache.put(key(q), reply(q, Rcode.NOERROR, 300, 10), T0);
        assertNotNull(cache.get(key(q), q, T0 + 10 * SECOND - 1));
        assertNull(cache.get(key(q), q, T0 + 10 * SECOND));
        assertEquals(0, cache.size(), "an expired answer is dropped when it is found expired");
    }

    @Test
    void whatIsNeverKept() {
        AnswerCache cache = new AnswerCache(16);
        byte[] q = query("a.example.", Type.A);
        cache.put(key(q), reply(q, Rcode.NOERROR, 0, 60), T0);          // a TTL of 0
        cache.put(key(q), reply(q, Rcode.SERVFAIL), T0);
        cache.put(key(q), reply(q, Rcode.NXDOMAIN), T0);                 // negative without an SOA
        cache.put(key(q), reply(q, Rcode.NOERROR), T0);                  // NODATA without an SOA
        Message truncated = parse(reply(q, Rcode.NOERROR, 60));
        truncated.getHeader().setFlag(Flags.TC);
        cache.put(key(q), truncated.toWire(), T0);
        byte[] topBit = reply(q, Rcode.NOERROR, 60);
        topBit[topBit.length - 10] = (byte) 0x80;                          // the TTL's top bit: 0 (RFC 2181 §8)
        cache.put(key(q), topBit, T0);
        assertEquals(0, cache.size());
        assertNull(cache.get(key(q), q, T0));
    }

    @Test
    void aNegativeAnswerWithAnSoaIsKeptForTheSmallerOfItsTtlAndMinimum() {
        AnswerCache cache = new AnswerCache(16);
        byte[] q = query("missing.example.", Type.A);
        cache.put(key(q), withSoa(reply(q, Rcode.NXDOMAIN), 3600, 30), T0);
        byte[] hit = cache.get(key(q), q, T0 + 29 * SECOND);
        assertNotNull(hit);
        Message m = parse(hit);
        assertEquals(Rcode.NXDOMAIN, m.getRcode());
        assertEquals(3600 - 29, m.getSection(Section.AUTHORITY).getFirst().getTTL());
        assertNull(cache.get(key(q), q, T0 + 30 * SECOND));

        byte[] nodata = query("host.example.", Type.AAAA);
        cache.put(key(nodata), withSoa(reply(nodata, Rcode.NOERROR), 20, 900), T0);
        assertNotNull(cache.get(key(nodata), nodata, T0 + 19 * SECOND));
        assertNull(cache.get(key(nodata), nodata, T0 + 20 * SECOND));
    }

    /** dns-neg-ttl, dnsmasq's --neg-ttl: a negative answer without an SOA is kept that long, or not at all with 0. */
    @Test
    void aNegativeAnswerWithoutAnSoaIsKeptForTheNegativeTtl() {
        AnswerCache cache = new AnswerCache(16, 5);
        byte[] q = query("c999.", Type.A);
        cache.put(key(q), reply(q, Rcode.NXDOMAIN), T0);
        assertEquals(Rcode.NXDOMAIN, parse(cache.get(key(q), q, T0 + 5 * SECOND - 1)).getRcode());
        assertNull(cache.get(key(q), q, T0 + 5 * SECOND));

        byte[] nodata = query("host.lan.", Type.AAAA);
        cache.put(key(nodata), reply(nodata, Rcode.NOERROR), T0);
        assertNotNull(cache.get(key(nodata), nodata, T0 + 4 * SECOND));

        byte[] withSoa = query("missing.example.", Type.A);
        cache.put(key(withSoa), withSoa(reply(withSoa, Rcode.NXDOMAIN), 3600, 30), T0);
        assertNotNull(cache.get(key(withSoa), withSoa, T0 + 29 * SECOND), "an SOA's time is not the negative TTL's");

        cache.negativeTtl(0);
        byte[] other = query("c998.", Type.A);
        cache.put(key(other), reply(other, Rcode.NXDOMAIN), T0);
        assertNull(cache.get(key(other), other, T0));
        assertThrows(IllegalArgumentException.class, () -> cache.negativeTtl(-1));
        assertThrows(IllegalArgumentException.class, () -> cache.negativeTtl(AnswerCache.MAX_TTL + 1));
    }

    /** The hot path's lookup writes into the caller's buffer what {@code get} returns, or -1 when it does not fit. */
    @Test
    void aHitWrittenIntoABufferIsTheSameBytes() {
        AnswerCache cache = new AnswerCache(16);
        byte[] q = query("a.example.", Type.A);
        cache.put(key(q), reply(q, Rcode.NOERROR, 60, 300), T0);
        byte[] asked = query("A.example.", Type.A);
        byte[] hit = cache.get(key(asked), asked, T0 + 3 * SECOND);
        byte[] out = new byte[512];
        int n = cache.get(key(asked), asked, T0 + 3 * SECOND, out);
        assertArrayEquals(hit, java.util.Arrays.copyOf(out, n));
        assertEquals(-1, cache.get(key(asked), asked, T0, new byte[hit.length - 1]));
        assertEquals(-1, cache.get(key(query("b.example.", Type.A)), asked, T0, out));
    }

    @Test
    void anotherTypeOrEdnsOrRdIsAnotherQuestion() {
        AnswerCache cache = new AnswerCache(16);
        byte[] q = query("a.example.", Type.A);
        cache.put(key(q), reply(q, Rcode.NOERROR, 60), T0);
        byte[] aaaa = query("a.example.", Type.AAAA);
        assertNull(cache.get(key(aaaa), aaaa, T0));
        Message edns = parse(query("a.example.", Type.A));
        edns.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        assertNull(cache.get(key(edns.toWire()), edns.toWire(), T0));
        Message norec = parse(query("a.example.", Type.A));
        norec.getHeader().unsetFlag(Flags.RD);
        assertNull(cache.get(key(norec.toWire()), norec.toWire(), T0));
        assertNotNull(cache.get(key(q), q, T0));
    }

    @Test
    void itHoldsAtMostItsCapacity() {
        AnswerCache cache = new AnswerCache(8);
        for (int i = 0; i < 100; i++) {
            byte[] q = query("n" + i + ".example.", Type.A);
            cache.put(key(q), reply(q, Rcode.NOERROR, 60), T0);
        }
        assertEquals(true, cache.size() <= 8, "size " + cache.size());
        byte[] last = query("n99.example.", Type.A);
        assertNotNull(cache.get(key(last), last, T0), "the newest answer is kept");
        cache.clear();
        assertNull(cache.get(key(last), last, T0));
    }

    @Test
    void theBytesKeptAreACopy() {
        AnswerCache cache = new AnswerCache(4);
        byte[] q = query("a.example.", Type.A);
        byte[] r = reply(q, Rcode.NOERROR, 60);
        byte[] original = r.clone();
        cache.put(key(q), r, T0);
        r[r.length - 1] = 0;
        byte[] hit = cache.get(key(q), q, T0);
        hit[hit.length - 2] = 0;
        assertArrayEquals(original, cache.get(key(q), q, T0));
    }
}
