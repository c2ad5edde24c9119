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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResolverTest {
    private final Network net1 = network("net1", 'a', false);
    private final Network net2 = network("net2", 'b', false);
    private final Network internal = network("inside", 'c', true);
    private final Network bridge = network("bridge", 'd', false);
    private final Sandbox c1 = sandbox("c1", '1');
    private final Sandbox c2 = sandbox("c2", '2');
    private final Sandbox c3 = sandbox("c3", '3');
    private final Sandbox web = sandbox("Web", '4');
    private final Sandbox lonely = sandbox("lonely", '5');
    private final Sandbox legacy = sandbox("legacy", '6');
    private final NameTable table = NameTable.build(List.of(
            entry(net1, c1, "172.18.0.2/16", null),
            entry(net1, c2, "172.18.0.3/16", "fd00:1::3/64", "db"),
            entry(net1, web, "172.18.0.4/16", null, "db"),
            entry(net2, c3, "172.19.0.2/16", null),
            entry(internal, lonely, "10.9.0.2/24", null),
            entry(bridge, legacy, "172.17.0.2/16", null)));
    private final Resolver resolver = new Resolver();

    private Message ask(Sandbox from, String name, int type) {
        Resolver.Outcome out = resolver.resolve(query(name, type), from.id(), table, Resolver.UDP_LIMIT);
        return parse(assertInstanceOf(Resolver.Reply.class, out).wire());
    }

    private static List<String> answers(Message m) {
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    @Test
    void nameResolvesWithTtl600AndRecursionAvailable() {
        Message m = ask(c1, "c2.", Type.A);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertEquals(List.of("172.18.0.3"), answers(m));
        assertEquals(600, m.getSection(Section.ANSWER).getFirst().getTTL());
        assertTrue(m.getHeader().getFlag(Flags.RA));
        assertTrue(m.getHeader().getFlag(Flags.QR));
        assertEquals("c2.", m.getQuestion().getName().toString());
    }

    @Test
    void aliasShortIdHostnameAndCaseInsensitivity() {
        assertEquals(Set.of("172.18.0.3", "172.18.0.4"), new HashSet<>(answers(ask(c1, "db.", Type.A))));
        assertEquals(List.of("172.18.0.3"), answers(ask(c1, "222222222222.", Type.A)));
        assertEquals(List.of("172.18.0.4"), answers(ask(c1, "WEB.", Type.A)));
        assertEquals(List.of("172.18.0.4"), answers(ask(c1, "web.", Type.A)));
    }

    @Test
    void severalAnswersAreShuffled() {
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            orders.add(answers(ask(c1, "db.", Type.A)));
        }
        assertEquals(2, orders.size());
    }

    @Test
    void aaaaAnswersAndIpv4OnlyNameGivesEmptyNoerror() {
        assertEquals(List.of("fd00:1:0:0:0:0:0:3"), answers(ask(c1, "c2.", Type.AAAA)).stream()
                .map(s -> s.replace("::", ":0:0:0:0:0:")).toList());
        Message m = ask(c2, "c1.", Type.AAAA);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertEquals(0, m.getSection(Section.ANSWER).size());
    }

    @Test
    void nameDotNetwork() {
        assertEquals(List.of("172.18.0.3"), answers(ask(c1, "c2.net1.", Type.A)));
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("c2.net2.", Type.A), c1.id(), table, Resolver.UDP_LIMIT));
    }

    @Test
    void otherNetworksNamesAreForwardedNotAnswered() {
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("c3.", Type.A), c1.id(), table, Resolver.UDP_LIMIT));
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("example.com.", Type.A), c1.id(), table, Resolver.UDP_LIMIT));
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("c2.", Type.TXT), c1.id(), table, Resolver.UDP_LIMIT));
    }

    @Test
    void defaultBridgeIsNotServedAndItsNamesAreUnknown() {
        assertTrue(!table.serves(legacy.id()));
        assertTrue(table.serves(c1.id()));
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("legacy.", Type.A), c1.id(), table, Resolver.UDP_LIMIT));
    }

    @Test
    void ptrForSandboxAddressesV4AndV6() {
        assertEquals(List.of("c2.net1."), answers(ask(c1, "3.0.18.172.in-addr.arpa.", Type.PTR)));
        String v6 = "3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.d.f.ip6.arpa.";
        assertEquals(List.of("c2.net1."), answers(ask(c1, v6, Type.PTR)));
        assertEquals(600, ask(c1, v6, Type.PTR).getSection(Section.ANSWER).getFirst().getTTL());
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("2.0.19.172.in-addr.arpa.", Type.PTR), c1.id(), table, Resolver.UDP_LIMIT));
    }

    @Test
    void implicitMxForLocalNames() {
        Message m = ask(c1, "c2.", Type.MX);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertEquals(0, m.getSection(Section.ANSWER).size());
    }

    @Test
    void internalOnlySandboxNeverForwards() {
        Message m = ask(lonely, "example.com.", Type.A);
        assertEquals(Rcode.SERVFAIL, m.getRcode());
        assertEquals(List.of("10.9.0.2"), answers(ask(lonely, "lonely.", Type.A)));
    }

    @Test
    void theDefaultBridgeGivesExternalAccessAsInDocker() {
        NameTable mixed = NameTable.build(List.of(entry(internal, lonely, "10.9.0.2/24", null),
                entry(bridge, lonely, "172.17.0.2/16", null), entry(bridge, legacy, "172.17.0.3/16", null)));
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("example.com.", Type.A), lonely.id(), mixed, Resolver.UDP_LIMIT));
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("example.com.", Type.A), legacy.id(), mixed, Resolver.UDP_LIMIT),
                "a sandbox back on the bridge only, whose resolver was kept after a disconnect");
        mixed.remove(bridge.id(), legacy.id());
        Message nowhere = parse(assertInstanceOf(Resolver.Reply.class,
                resolver.resolve(query("example.com.", Type.A), legacy.id(), mixed, Resolver.UDP_LIMIT)).wire());
        assertEquals(Rcode.SERVFAIL, nowhere.getRcode(), "on no network at all");
        mixed.removeSandbox(lonely.id());
        assertInstanceOf(Resolver.Reply.class,
                resolver.resolve(query("example.com.", Type.A), lonely.id(), mixed, Resolver.UDP_LIMIT));
    }

    @Test
    void forwardCarriesTheQueryVerbatim() {
        byte[] q = query("example.com.", Type.A);
        assertArrayEquals(q, assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(q, c1.id(), table, Resolver.UDP_LIMIT)).query());
    }

    @Test
    void garbageGetsFormerrShortInputAndRepliesAreDropped() {
        byte[] junk = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'a'};
        Message m = parse(assertInstanceOf(Resolver.Reply.class,
                resolver.resolve(junk, c1.id(), table, Resolver.UDP_LIMIT)).wire());
        assertEquals(Rcode.FORMERR, m.getRcode());
        assertEquals(0x1234, m.getHeader().getID());
        assertInstanceOf(Resolver.Drop.class, resolver.resolve(new byte[5], c1.id(), table, Resolver.UDP_LIMIT));
        byte[] reply = query("c2.", Type.A);
        reply[2] |= (byte) 0x80;
        assertInstanceOf(Resolver.Drop.class, resolver.resolve(reply, c1.id(), table, Resolver.UDP_LIMIT));
    }

    @Test
    void otherOpcodesGetNotimpAndNoQuestionFormerr() {
        Message notify = Tables.parse(query("c2.", Type.A));
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertEquals(Rcode.NOTIMP, parse(((Resolver.Reply) resolver.resolve(notify.toWire(), c1.id(), table,
                Resolver.UDP_LIMIT)).wire()).getRcode());
        Message empty = new Message(7);
        assertEquals(Rcode.FORMERR, parse(((Resolver.Reply) resolver.resolve(empty.toWire(), c1.id(), table,
                Resolver.UDP_LIMIT)).wire()).getRcode());
    }

    @Test
    void changesAreVisibleInTheNextTable() {
        NameTable after = NameTable.build(List.of(entry(net1, c1, "172.18.0.2/16", null),
                entry(net1, sandbox("renamed", '2'), "172.18.0.3/16", null)));
        assertInstanceOf(Resolver.Forward.class,
                resolver.resolve(query("c2.", Type.A), c1.id(), after, Resolver.UDP_LIMIT));
        Message m = parse(((Resolver.Reply) resolver.resolve(query("renamed.", Type.A), c1.id(), after,
                Resolver.UDP_LIMIT)).wire());
        assertEquals(List.of("172.18.0.3"), answers(m));
    }

    /** c1 and {@code n} sandboxes on net1 that all have the alias {@code alias}, with IPv6 if asked. */
    private NameTable many(String alias, int n, boolean v6) {
        List<NameTable.Entry> many = new java.util.ArrayList<>();
        many.add(entry(net1, c1, "172.18.0.2/16", null));
        for (int i = 0; i < n; i++) {
            Sandbox s = new Sandbox(new dev.berth.core.model.SandboxId(String.format("%064x", 1000 + i)),
                    "s" + i, "h" + i, "/x", java.time.Instant.EPOCH, "net1");
            many.add(entry(net1, s, "172.18." + (1 + i / 250) + "." + (i % 250 + 2) + "/16",
                    v6 ? "fd00:1::" + Integer.toHexString(0x100 + i) + "/64" : null, alias));
        }
        return NameTable.build(many);
    }

    @Test
    void udpAnswersAreTruncatedTo512() {
        NameTable big = many("big", 60, false);
        byte[] udp = ((Resolver.Reply) resolver.resolve(query("big.", Type.A), c1.id(), big, Resolver.UDP_LIMIT)).wire();
        assertTrue(udp.length <= 512);
        assertTrue(parse(udp).getHeader().getFlag(Flags.TC));
        byte[] tcp = ((Resolver.Reply) resolver.resolve(query("big.", Type.A), c1.id(), big, Resolver.TCP_LIMIT)).wire();
        assertEquals(60, parse(tcp).getSection(Section.ANSWER).size());
    }

    /**
     * Many AAAA answers: 512 bytes without EDNS, the client's EDNS size with it (at most 4096), as
     * many records as fit with TC set (as Docker's miekg/dns Truncate), all of them over TCP.
     */
    @Test
    void localAnswersFitTheClientsAdvertisedSize() {
        NameTable big = many("many", 200, true);
        for (int size : new int[] {0, 100, 512, 1232, 4096, 65000}) {
            byte[] q = query("many.", Type.AAAA);
            if (size > 0) {
                Message m = parse(q);
                m.addRecord(new org.xbill.DNS.OPTRecord(size, 0, 0), Section.ADDITIONAL);
                q = m.toWire();
            }
            int limit = size == 0 ? 512 : Math.min(Math.max(size, 512), 4096);
            byte[] udp = ((Resolver.Reply) resolver.resolve(q, c1.id(), big, Resolver.UDP_LIMIT)).wire();
            Message m = parse(udp);
            assertTrue(udp.length <= limit && udp.length > limit - 28, size + ": " + udp.length);
            assertTrue(m.getHeader().getFlag(Flags.TC));
            assertEquals((limit - 22 - (size > 0 ? 11 : 0)) / 28, m.getSection(Section.ANSWER).size(),
                    "as many 28-byte AAAA records as fit after header and question, for size " + size);
            assertEquals(size > 0, m.getOPT() != null);
        }
        byte[] tcp = ((Resolver.Reply) resolver.resolve(query("many.", Type.AAAA), c1.id(), big,
                Resolver.TCP_LIMIT)).wire();
        assertEquals(200, parse(tcp).getSection(Section.ANSWER).size());
    }
}
