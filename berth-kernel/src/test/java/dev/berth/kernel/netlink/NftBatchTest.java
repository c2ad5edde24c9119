package dev.berth.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The batch's messages against what libnftables 1.0.6 sends for the same nft text (captured with
 * {@code nft --debug=mnl}, see the resource {@code libnftables-1.0.6-redirect.txt}):
 * <pre>
 * add table ip berth-dns
 * add chain ip berth-dns queries { type filter hook output priority -300; policy accept; }
 * add chain ip berth-dns replies { type filter hook postrouting priority 100; policy accept; }
 * flush chain ip berth-dns queries
 * flush chain ip berth-dns replies
 * add rule ip berth-dns queries ip daddr 127.0.0.11 udp dport 53 udp dport set 40001
 * add rule ip berth-dns queries ip daddr 127.0.0.11 tcp dport 53 tcp dport set 40002
 * add rule ip berth-dns replies ip saddr 127.0.0.11 udp sport 40001 udp sport set 53
 * add rule ip berth-dns replies ip saddr 127.0.0.11 tcp sport 40002 tcp sport set 53
 * add table ip6 berth-quiet
 * add chain ip6 berth-quiet output { type filter hook output priority 0; policy accept; }
 * flush chain ip6 berth-quiet output
 * add rule ip6 berth-quiet output icmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report } drop
 * </pre>
 */
class NftBatchTest {
    static final Inet4Address LOCAL = (Inet4Address) InetAddress.ofLiteral("127.0.0.11");
    /** icmpv6 types 131, 132, 143 (nft's data type 29, icmpv6_type). */
    static final NftExpr.AnonymousSet MLD = new NftExpr.AnonymousSet(29, 1,
            List.of(new byte[] {(byte) 131}, new byte[] {(byte) 132}, new byte[] {(byte) 143}));

    /** The transaction above, with tables {@code rewrite} and {@code quiet}. */
    static NftBatch redirect(String rewrite, String quiet, int udp, int tcp) {
        return redirect(new NftBatch(), rewrite, quiet, udp, tcp);
    }

    /** The transaction above appended to {@code batch}. */
    static NftBatch redirect(NftBatch batch, String rewrite, String quiet, int udp, int tcp) {
        NftBatch.Table rewriteTable = new NftBatch.Table(NfProto.IPV4, rewrite);
        NftBatch.Chain queries = new NftBatch.Chain(rewriteTable, "queries");
        NftBatch.Chain replies = new NftBatch.Chain(rewriteTable, "replies");
        NftBatch.Table quietTable = new NftBatch.Table(NfProto.IPV6, quiet);
        NftBatch.Chain quietOut = new NftBatch.Chain(quietTable, "output");
        return batch.addTable(rewriteTable)
                .addBaseChain(queries, "filter", NftBatch.Hook.OUTPUT, -300)
                .addBaseChain(replies, "filter", NftBatch.Hook.POSTROUTING, 100)
                .flush(queries).flush(replies)
                .addRule(queries, concat(NftExpr.ipv4Daddr(LOCAL), NftExpr.l4proto(17), NftExpr.dport(53), NftExpr.setDport(17, udp)))
                .addRule(queries, concat(NftExpr.ipv4Daddr(LOCAL), NftExpr.l4proto(6), NftExpr.dport(53), NftExpr.setDport(6, tcp)))
                .addRule(replies, concat(NftExpr.ipv4Saddr(LOCAL), NftExpr.l4proto(17), NftExpr.sport(udp), NftExpr.setSport(17, 53)))
                .addRule(replies, concat(NftExpr.ipv4Saddr(LOCAL), NftExpr.l4proto(6), NftExpr.sport(tcp), NftExpr.setSport(6, 53)))
                .addTable(quietTable)
                .addBaseChain(quietOut, "filter", NftBatch.Hook.OUTPUT, 0)
                .flush(quietOut)
                .addRule(quietOut, concat(NftExpr.l4proto(58), List.of(
                        new NftExpr.Payload(NftExpr.Base.TRANSPORT, 0, 1, NftExpr.REG_1),
                        new NftExpr.Lookup(NftExpr.REG_1, MLD), NftExpr.drop())));
    }

    /** The transaction above as nft text, with tables {@code rewrite} and {@code quiet}. */
    static String script(String rewrite, String quiet, int udp, int tcp) {
        return """
                add table ip %3$s
                add chain ip %3$s queries { type filter hook output priority -300; policy accept; }
                add chain ip %3$s replies { type filter hook postrouting priority 100; policy accept; }
                flush chain ip %3$s queries
                flush chain ip %3$s replies
                add rule ip %3$s queries ip daddr 127.0.0.11 udp dport 53 udp dport set %1$d
                add rule ip %3$s queries ip daddr 127.0.0.11 tcp dport 53 tcp dport set %2$d
                add rule ip %3$s replies ip saddr 127.0.0.11 udp sport %1$d udp sport set 53
                add rule ip %3$s replies ip saddr 127.0.0.11 tcp sport %2$d tcp sport set 53
                add table ip6 %4$s
                add chain ip6 %4$s output { type filter hook output priority 0; policy accept; }
                flush chain ip6 %4$s output
                add rule ip6 %4$s output icmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report } drop
                """.formatted(udp, tcp, rewrite, quiet);
    }

    @SafeVarargs
    static List<NftExpr> concat(List<NftExpr>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    /** One message libnftables sent: its NFT_MSG_* type and the bytes after its nlmsghdr. */
    private record Sent(int type, byte[] body) {}

    private static List<Sent> libnftables() throws IOException {
        try (InputStream in = NftBatchTest.class.getResourceAsStream("libnftables-1.0.6-redirect.txt")) {
            List<Sent> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.split(" ");
                    out.add(new Sent(Integer.parseInt(f[0]), HexFormat.of().parseHex(f[1])));
                }
            }
            return out;
        }
    }

    /** A message's body without one top-level attribute (after the 4-byte nfgenmsg). */
    private static byte[] without(byte[] body, int attrType) {
        ByteBuffer in = ByteBuffer.wrap(body).order(ByteOrder.nativeOrder());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(body, 0, 4);
        int pos = 4;
        while (pos + 4 <= body.length) {
            int len = Short.toUnsignedInt(in.getShort(pos));
            int next = Math.min(body.length, pos + NlWriter.align(len));
            if ((in.getShort(pos + 2) & Uapi.NLA_TYPE_MASK) != attrType) {
                out.write(body, pos, next - pos);
            }
            pos = next;
        }
        return out.toByteArray();
    }

    @Test
    void everyMessageIsTheOneLibnftablesSends() throws IOException {
        List<Sent> expected = libnftables();
        List<byte[]> written = redirect("berth-dns", "berth-quiet", 40001, 40002).encode(100);
        assertEquals(expected.size(), written.size());
        for (int i = 0; i < written.size(); i++) {
            ByteBuffer m = ByteBuffer.wrap(written.get(i)).order(ByteOrder.nativeOrder());
            assertEquals(m.limit(), m.getInt(0), "nlmsg_len of message " + i);
            assertEquals(NftUapi.NFNL_SUBSYS_NFTABLES << 8 | expected.get(i).type(), Short.toUnsignedInt(m.getShort(4)),
                    "type of message " + i);
            int flags = Short.toUnsignedInt(m.getShort(6));
            assertEquals(Uapi.NLM_F_REQUEST | Uapi.NLM_F_ACK, flags & (Uapi.NLM_F_REQUEST | Uapi.NLM_F_ACK),
                    "every message asks for its ack: " + i);
            assertEquals(100 + i, m.getInt(8), "sequence number of message " + i);
            byte[] body = java.util.Arrays.copyOfRange(written.get(i), Uapi.NLMSG_HDRLEN, m.limit());
            byte[] sent = expected.get(i).body();
            if (expected.get(i).type() == NftUapi.NFT_MSG_NEWSET) {
                sent = without(sent, 13); // NFTA_SET_USERDATA: nft's own printing hints, not written here
            }
            assertEquals(HexFormat.of().formatHex(sent), HexFormat.of().formatHex(body), "message " + i);
        }
    }

    /** {@code delete table ip berth-dns}: what libnftables 1.0.6 sends for it (captured as above). */
    @Test
    void aTableIsDeletedAsLibnftablesDeletesIt() {
        byte[] m = new NftBatch().deleteTable(new NftBatch.Table(NfProto.IPV4, "berth-dns")).encode(1).getFirst();
        assertEquals(NftUapi.NFNL_SUBSYS_NFTABLES << 8 | NftUapi.NFT_MSG_DELTABLE,
                Short.toUnsignedInt(ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).getShort(4)));
        assertEquals("020000000e00010062657274682d646e73000000",
                HexFormat.of().formatHex(java.util.Arrays.copyOfRange(m, Uapi.NLMSG_HDRLEN, m.length)));
    }

    @Test
    void theRulesItWritesReadBackAsTheirRewrites() {
        List<byte[]> batch = redirect("berth-dns", "berth-quiet", 40001, 40002).encode(1);
        assertEquals(new NftRules.Rule(17, null, LOCAL, -1, 53, new NftRules.SetPort(true, 40001)), rule(batch.get(5)));
        assertEquals(new NftRules.Rule(6, LOCAL, null, 40002, -1, new NftRules.SetPort(false, 53)), rule(batch.get(8)));
    }

    private static NftRules.Rule rule(byte[] message) {
        NlAttrs attrs = NlAttrs.parse(ByteBuffer.wrap(message, Uapi.NLMSG_HDRLEN, message.length - Uapi.NLMSG_HDRLEN).slice()
                .order(ByteOrder.nativeOrder()), NftUapi.NFGENMSG_LEN);
        return NftRules.rule(attrs.bytes(NftUapi.NFTA_RULE_EXPRESSIONS));
    }

    @Test
    void errorsNameEachMessage() {
        assertEquals(List.of(
                "add table ip berth-dns",
                "add chain ip berth-dns queries { type filter hook output priority -300 }",
                "add chain ip berth-dns replies { type filter hook postrouting priority 100 }",
                "flush chain ip berth-dns queries",
                "flush chain ip berth-dns replies",
                "add rule ip berth-dns queries (rule 1 of the batch)",
                "add rule ip berth-dns queries (rule 2 of the batch)",
                "add rule ip berth-dns replies (rule 3 of the batch)",
                "add rule ip berth-dns replies (rule 4 of the batch)",
                "add table ip6 berth-quiet",
                "add chain ip6 berth-quiet output { type filter hook output priority 0 }",
                "flush chain ip6 berth-quiet output",
                "add anonymous set 1 of table ip6 berth-quiet",
                "add 3 elements to anonymous set 1 of table ip6 berth-quiet",
                "add rule ip6 berth-quiet output (rule 5 of the batch)"),
                redirect("berth-dns", "berth-quiet", 1, 2).describe());
    }

    @Test
    void valuesOutOfRangeAreRefusedBeforeAnythingIsSent() {
        assertThrows(IllegalArgumentException.class, () -> NftExpr.dport(65536));
        assertThrows(IllegalArgumentException.class, () -> NftExpr.setDport(1, 53), "ICMP has no port");
        assertThrows(IllegalArgumentException.class, () -> new NftExpr.AnonymousSet(29, 1, List.of(new byte[2])));
        assertArrayEquals(new byte[] {(byte) 0x9c, 0x41}, NftExpr.port(40001));
    }
}
