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
 * add chain ip berth-dns output { type nat hook output priority -100; policy accept; }
 * add chain ip berth-dns postrouting { type nat hook postrouting priority 100; policy accept; }
 * flush chain ip berth-dns output
 * flush chain ip berth-dns postrouting
 * add rule ip berth-dns output ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:40001
 * add rule ip berth-dns output ip daddr 127.0.0.11 tcp dport 53 dnat to 127.0.0.11:40002
 * add rule ip berth-dns postrouting ip saddr 127.0.0.11 udp sport 40001 snat to :53
 * add rule ip berth-dns postrouting ip saddr 127.0.0.11 tcp sport 40002 snat to :53
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

    /** The transaction above, with tables {@code nat} and {@code quiet}. */
    static NftBatch redirect(String nat, String quiet, int udp, int tcp) {
        NftBatch.Table natTable = new NftBatch.Table(NfProto.IPV4, nat);
        NftBatch.Chain out = new NftBatch.Chain(natTable, "output");
        NftBatch.Chain post = new NftBatch.Chain(natTable, "postrouting");
        NftBatch.Table quietTable = new NftBatch.Table(NfProto.IPV6, quiet);
        NftBatch.Chain quietOut = new NftBatch.Chain(quietTable, "output");
        return new NftBatch().addTable(natTable)
                .addBaseChain(out, "nat", NftBatch.Hook.OUTPUT, -100)
                .addBaseChain(post, "nat", NftBatch.Hook.POSTROUTING, 100)
                .flush(out).flush(post)
                .addRule(out, concat(NftExpr.ipv4Daddr(LOCAL), NftExpr.l4proto(17), NftExpr.dport(53), NftExpr.dnat(LOCAL, udp)))
                .addRule(out, concat(NftExpr.ipv4Daddr(LOCAL), NftExpr.l4proto(6), NftExpr.dport(53), NftExpr.dnat(LOCAL, tcp)))
                .addRule(post, concat(NftExpr.ipv4Saddr(LOCAL), NftExpr.l4proto(17), NftExpr.sport(udp), NftExpr.snatPort(53)))
                .addRule(post, concat(NftExpr.ipv4Saddr(LOCAL), NftExpr.l4proto(6), NftExpr.sport(tcp), NftExpr.snatPort(53)))
                .addTable(quietTable)
                .addBaseChain(quietOut, "filter", NftBatch.Hook.OUTPUT, 0)
                .flush(quietOut)
                .addRule(quietOut, concat(NftExpr.l4proto(58), List.of(
                        new NftExpr.Payload(NftExpr.Base.TRANSPORT, 0, 1, NftExpr.REG_1),
                        new NftExpr.Lookup(NftExpr.REG_1, MLD), NftExpr.drop())));
    }

    /** The transaction above as nft text, with tables {@code nat} and {@code quiet}. */
    static String script(String nat, String quiet, int udp, int tcp) {
        return """
                add table ip %3$s
                add chain ip %3$s output { type nat hook output priority -100; policy accept; }
                add chain ip %3$s postrouting { type nat hook postrouting priority 100; policy accept; }
                flush chain ip %3$s output
                flush chain ip %3$s postrouting
                add rule ip %3$s output ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:%1$d
                add rule ip %3$s output ip daddr 127.0.0.11 tcp dport 53 dnat to 127.0.0.11:%2$d
                add rule ip %3$s postrouting ip saddr 127.0.0.11 udp sport %1$d snat to :53
                add rule ip %3$s postrouting ip saddr 127.0.0.11 tcp sport %2$d snat to :53
                add table ip6 %4$s
                add chain ip6 %4$s output { type filter hook output priority 0; policy accept; }
                flush chain ip6 %4$s output
                add rule ip6 %4$s output icmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report } drop
                """.formatted(udp, tcp, nat, quiet);
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

    @Test
    void theRulesItWritesReadBackAsDnatRules() {
        byte[] rule = redirect("berth-dns", "berth-quiet", 40001, 40002).encode(1).get(5);
        NlAttrs attrs = NlAttrs.parse(ByteBuffer.wrap(rule, Uapi.NLMSG_HDRLEN, rule.length - Uapi.NLMSG_HDRLEN).slice()
                .order(ByteOrder.nativeOrder()), NftUapi.NFGENMSG_LEN);
        assertEquals(new NftDnatRules.Dnat(17, LOCAL, 53, LOCAL, 40001), NftDnatRules.dnat(attrs.bytes(NftUapi.NFTA_RULE_EXPRESSIONS)));
    }

    @Test
    void errorsNameEachMessage() {
        assertEquals(List.of(
                "add table ip berth-dns",
                "add chain ip berth-dns output { type nat hook output priority -100 }",
                "add chain ip berth-dns postrouting { type nat hook postrouting priority 100 }",
                "flush chain ip berth-dns output",
                "flush chain ip berth-dns postrouting",
                "add rule ip berth-dns output (rule 1 of the batch)",
                "add rule ip berth-dns output (rule 2 of the batch)",
                "add rule ip berth-dns postrouting (rule 3 of the batch)",
                "add rule ip berth-dns postrouting (rule 4 of the batch)",
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
        assertThrows(IllegalArgumentException.class, () -> new NftExpr.AnonymousSet(29, 1, List.of(new byte[2])));
        assertArrayEquals(new byte[] {(byte) 0x9c, 0x41}, NftExpr.port(40001));
    }
}
