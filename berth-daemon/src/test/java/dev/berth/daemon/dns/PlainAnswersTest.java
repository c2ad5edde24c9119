package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.entry;
import static dev.berth.daemon.dns.Tables.network;
import static dev.berth.daemon.dns.Tables.parse;
import static dev.berth.daemon.dns.Tables.query;
import static dev.berth.daemon.dns.Tables.sandbox;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The fast path answers exactly what the resolver answers, or leaves the query to it. */
class PlainAnswersTest {
    private final Network net1 = network("net1", 'a', false);
    private final Network net2 = network("net2", 'b', false);
    private final Network internal = network("inside", 'c', true);
    private final Sandbox c1 = sandbox("c1", '1');
    private final Sandbox c2 = sandbox("c2", '2');
    private final Sandbox web = sandbox("Web", '4');
    private final Sandbox c3 = sandbox("c3", '3');
    private final Sandbox lonely = sandbox("lonely", '5');
    private final NameTable table = NameTable.build(List.of(
            entry(net1, c1, "172.18.0.2/16", "fd00:1::2/64"),
            entry(net1, c2, "172.18.0.3/16", "fd00:1::3/64", "db"),
            entry(net1, web, "172.18.0.4/16", null, "db", "my_svc"),
            entry(net2, c3, "172.19.0.2/16", null),
            entry(internal, lonely, "10.9.0.2/24", null)));
    private final Resolver resolver = new Resolver();
    private final PlainAnswers plain = new PlainAnswers();

    private byte[] fast(byte[] query, SandboxId from, int limit) {
        byte[] out = new byte[4096];
        int n = plain.answer(query, query.length, from, table, limit, out);
        return n < 0 ? null : Arrays.copyOf(out, n);
    }

    private byte[] slow(byte[] query, SandboxId from, int limit) {
        return assertInstanceOf(Resolver.Reply.class, resolver.resolve(query, from, table, limit)).wire();
    }

    private void assertSameBytes(byte[] query) {
        byte[] fast = fast(query, c1.id(), Resolver.UDP_LIMIT);
        assertTrue(fast != null, "fast path declined " + parse(query).getQuestion());
        assertArrayEquals(slow(query, c1.id(), Resolver.UDP_LIMIT), fast);
    }

    private void assertDeclined(byte[] query, SandboxId from) {
        assertEquals(null, fast(query, from, Resolver.UDP_LIMIT));
    }

    private static byte[] withEdns(String name, int type, int payload, EDNSOption... options) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
            m.addRecord(new OPTRecord(payload, 0, 0, 0, options), Section.ADDITIONAL);
            return m.toWire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aAndAaaaAreByteForByteTheResolversReply() {
        assertSameBytes(query("c2.", Type.A));
        assertSameBytes(query("c2.", Type.AAAA));
        assertSameBytes(query("c1.", Type.AAAA));
        assertSameBytes(query("my_svc.", Type.A));
        assertSameBytes(query("222222222222.", Type.A));
    }

    @Test
    void ipv4OnlyNameGetsTheSameEmptyNoerrorForAaaa() {
        assertSameBytes(query("web.", Type.AAAA));
        Message m = parse(fast(query("web.", Type.AAAA), c1.id(), Resolver.UDP_LIMIT));
        assertEquals(0, m.getRcode());
        assertEquals(0, m.getSection(Section.ANSWER).size());
    }

    @Test
    void caseInsensitiveAndTheQuestionEchoedAsAsked() {
        assertSameBytes(query("C2.", Type.A));
        assertSameBytes(query("wEb.NET1.", Type.A));
        assertEquals("wEb.NET1.", parse(fast(query("wEb.NET1.", Type.A), c1.id(), Resolver.UDP_LIMIT))
                .getQuestion().getName().toString());
    }

    @Test
    void nameDotNetworkAndOtherNetworksNames() {
        assertSameBytes(query("c2.net1.", Type.A));
        assertDeclined(query("c2.net2.", Type.A), c1.id());
        assertDeclined(query("c3.", Type.A), c1.id());
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("c3.", Type.A), c1.id(), table, Resolver.UDP_LIMIT));
    }

    @Test
    void unknownNamesAndOtherTypesAreLeftToTheResolver() {
        assertDeclined(query("example.com.", Type.A), c1.id());
        assertDeclined(query("c2.", Type.MX), c1.id());
        assertDeclined(query("c2.", Type.TXT), c1.id());
        assertDeclined(query("3.0.18.172.in-addr.arpa.", Type.PTR), c1.id());
        assertDeclined(query("example.com.", Type.A), lonely.id()); // the resolver's SERVFAIL
        assertDeclined(query(".", Type.A), c1.id());
    }

    @Test
    void ednsQueriesGetTheSameOptRecord() {
        assertSameBytes(withEdns("c2.", Type.A, 4096));
        assertSameBytes(withEdns("c2.", Type.AAAA, 100));
        assertSameBytes(withEdns("web.", Type.AAAA, 1232));
        assertDeclined(withEdns("c2.", Type.A, 4096, new org.xbill.DNS.CookieOption(new byte[8])), c1.id());
    }

    @Test
    void recursionDesiredIsCopiedEitherWay() {
        byte[] q = query("c2.", Type.A);
        q[2] &= (byte) ~0x01;
        assertSameBytes(q);
        assertTrue(!parse(fast(q, c1.id(), Resolver.UDP_LIMIT)).getHeader().getFlag(Flags.RD));
        assertSameBytes(query("c2.", Type.A));
    }

    @Test
    void severalAddressesSameAnswerSetShuffled() {
        byte[] q = query("db.", Type.A);
        byte[] slow = slow(q, c1.id(), Resolver.UDP_LIMIT);
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            byte[] fast = fast(q, c1.id(), Resolver.UDP_LIMIT);
            assertEquals(slow.length, fast.length);
            assertEquals(Set.copyOf(answers(parse(slow))), Set.copyOf(answers(parse(fast))));
            orders.add(answers(parse(fast)));
        }
        assertEquals(2, orders.size());
    }

    @Test
    void oddQueriesAreLeftToTheResolver() {
        byte[] reply = query("c2.", Type.A);
        reply[2] |= (byte) 0x80;
        assertDeclined(reply, c1.id());
        byte[] trailing = Arrays.copyOf(query("c2.", Type.A), query("c2.", Type.A).length + 3);
        assertDeclined(trailing, c1.id());
        byte[] escaped = query("c\\0342.", Type.A);
        assertDeclined(escaped, c1.id());
        byte[] notify = query("c2.", Type.A);
        notify[2] |= (byte) (4 << 3);
        assertDeclined(notify, c1.id());
        byte[] pointer = query("c2.", Type.A);
        byte[] compressed = Arrays.copyOf(pointer, 12 + 2 + 4);
        compressed[12] = (byte) 0xc0;
        compressed[13] = 12;
        System.arraycopy(pointer, pointer.length - 4, compressed, 14, 4);
        assertDeclined(compressed, c1.id());
        assertDeclined(Arrays.copyOf(query("c2.", Type.A), 15), c1.id());
    }

    @Test
    void answersThatDoNotFitAreLeftToTheResolverToTruncate() {
        List<NameTable.Entry> many = new ArrayList<>();
        many.add(entry(net1, c1, "172.18.0.2/16", null));
        for (int i = 0; i < 60; i++) {
            Sandbox s = new Sandbox(new SandboxId(String.format("%064x", 1000 + i)), "s" + i, "h" + i, "/x",
                    java.time.Instant.EPOCH, "net1");
            many.add(entry(net1, s, "172.18.1." + (i + 2) + "/16", null, "big"));
        }
        NameTable big = NameTable.build(many);
        byte[] out = new byte[4096];
        byte[] q = query("big.", Type.A);
        assertEquals(PlainAnswers.SLOW, plain.answer(q, q.length, c1.id(), big, Resolver.UDP_LIMIT, out));
        int n = plain.answer(q, q.length, c1.id(), big, Resolver.TCP_LIMIT, out);
        assertEquals(60, parse(Arrays.copyOf(out, n)).getSection(Section.ANSWER).size());
        byte[] edns = withEdns("big.", Type.A, 4096);
        n = plain.answer(edns, edns.length, c1.id(), big, Resolver.UDP_LIMIT, out);
        byte[] slow = ((Resolver.Reply) resolver.resolve(edns, c1.id(), big, Resolver.UDP_LIMIT)).wire();
        assertEquals(slow.length, n);
    }

    @Test
    void aNewTableIsSeenAtOnceDespiteTheCaches() {
        byte[] out = new byte[4096];
        byte[] q = query("c2.", Type.A);
        plain.answer(q, q.length, c1.id(), table, Resolver.UDP_LIMIT, out);
        NameTable moved = NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null),
                entry(net1, c2, "172.18.0.99/16", null)));
        int n = plain.answer(q, q.length, c1.id(), moved, Resolver.UDP_LIMIT, out);
        assertEquals(List.of("600 172.18.0.99"), answers(parse(Arrays.copyOf(out, n))));
        NameTable gone = NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null)));
        assertEquals(PlainAnswers.NOT_LOCAL, plain.answer(q, q.length, c1.id(), gone, Resolver.UDP_LIMIT, out));
        for (int i = 0; i < 3000; i++) { // names sharing cache slots still resolve to themselves
            byte[] other = query("x" + i + ".", Type.A);
            assertEquals(PlainAnswers.NOT_LOCAL, plain.answer(other, other.length, c1.id(), table, Resolver.UDP_LIMIT, out));
        }
        assertSameBytes(query("c2.", Type.A));
    }

    @Test
    void aNameRememberedAsNotLocalIsAnsweredOnceTheTableHasIt() {
        byte[] out = new byte[4096];
        byte[] q = query("newbie.", Type.A);
        for (int i = 0; i < 2; i++) { // the second time from the remembered miss
            assertEquals(PlainAnswers.NOT_LOCAL, plain.answer(q, q.length, c1.id(), table, Resolver.UDP_LIMIT, out));
        }
        Sandbox newbie = sandbox("newbie", '6');
        table.put(entry(net1, newbie, "172.18.0.66/16", null)); // changed in place
        int n = plain.answer(q, q.length, c1.id(), table, Resolver.UDP_LIMIT, out);
        assertEquals(List.of("600 172.18.0.66"), answers(parse(Arrays.copyOf(out, n))));
        table.removeSandbox(newbie.id());
        assertEquals(PlainAnswers.NOT_LOCAL, plain.answer(q, q.length, c1.id(), table, Resolver.UDP_LIMIT, out));
    }

    @Test
    void aRememberedMissIsOneSandboxsOwnAndEndsWithAChange() {
        byte[] q = query("c3.", Type.A);
        assertEquals(PlainAnswers.SLOW, code(q, lonely.id()));     // internal only: the resolver's SERVFAIL
        assertEquals(PlainAnswers.NOT_LOCAL, code(q, c1.id()));
        assertEquals(PlainAnswers.NOT_LOCAL, code(q, c1.id()));    // remembered
        assertArrayEquals(slow(q, c3.id(), Resolver.UDP_LIMIT), fast(q, c3.id(), Resolver.UDP_LIMIT)); // local for c3
        assertEquals(PlainAnswers.SLOW, code(q, lonely.id()));
        table.put(entry(net2, lonely, "172.19.0.9/16", null));    // lonely joins c3's network
        assertArrayEquals(slow(q, lonely.id(), Resolver.UDP_LIMIT), fast(q, lonely.id(), Resolver.UDP_LIMIT));
        byte[] elsewhere = query("example.com.", Type.A);
        assertEquals(PlainAnswers.NOT_LOCAL, code(elsewhere, lonely.id())); // and may forward now
        table.remove(net2.id(), lonely.id());
        assertEquals(PlainAnswers.SLOW, code(elsewhere, lonely.id()));
        assertEquals(PlainAnswers.SLOW, code(q, lonely.id()));
    }

    private int code(byte[] query, SandboxId from) {
        return plain.answer(query, query.length, from, table, Resolver.UDP_LIMIT, new byte[4096]);
    }

    private static List<String> answers(Message m) {
        return m.getSection(Section.ANSWER).stream().map(r -> r.getTTL() + " " + r.rdataToString()).toList();
    }
}
