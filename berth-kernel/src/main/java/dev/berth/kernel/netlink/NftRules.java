package dev.berth.kernel.netlink;

import static dev.berth.kernel.netlink.NftUapi.*;

import dev.berth.kernel.ffm.KernelErrors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one nftables chain that rewrite where a packet goes, read from the kernel with one
 * rule dump over a {@code NETLINK_NETFILTER} socket opened in the calling thread's namespace (and
 * closed again): a DNAT ({@code dnat to <address>:<port>}) or a port written in place ({@code udp
 * dport set <port>}, {@code tcp sport set <port>}). No libnftables: a context costs 1-2 ms and a
 * low descriptor number (its {@code select()}), one per sandbox at start-up, where this read costs
 * one socket and one dump.
 *
 * <p>Only what a rule's expressions say plainly is read, as a small register machine: a payload
 * or {@code meta} load names a register's source, {@code cmp eq} against such a register is a
 * match, {@code immediate} loads a constant, {@code nat dnat} takes the address and port from
 * registers that hold constants, a two-byte payload write of a constant at the transport header's
 * offset 0 or 2 sets a port. A rule with any other expression (or a comparison other than
 * equality, or two actions) is not reported: the caller then treats the chain as not holding what
 * it looks for.
 */
public final class NftRules {
    /** What a register was loaded from: the keys of {@link #rule}'s matches. */
    private static final String L4PROTO = "meta l4proto";
    private static final String IPV4_SADDR = "payload " + NFT_PAYLOAD_NETWORK_HEADER + " 12 4";
    private static final String IPV4_DADDR = "payload " + NFT_PAYLOAD_NETWORK_HEADER + " 16 4";
    private static final String SPORT = "payload " + NFT_PAYLOAD_TRANSPORT_HEADER + " 0 2";
    private static final String DPORT = "payload " + NFT_PAYLOAD_TRANSPORT_HEADER + " 2 2";

    /**
     * One rule: what it matches (layer 4 protocol, IPv4 source and destination address, source and
     * destination port; -1 or null where it does not match on that) and what it does.
     */
    public record Rule(int l4proto, InetAddress saddr, InetAddress daddr, int sport, int dport, Action action) {
    }

    /** What a rule does to the packets it matches. */
    public sealed interface Action {
    }

    /** {@code dnat to <to>:<port>}. */
    public record Dnat(InetAddress to, int port) implements Action {
    }

    /** {@code <proto> dport set <port>} ({@code destination}) or {@code <proto> sport set <port>}. */
    public record SetPort(boolean destination, int port) implements Action {
    }

    private NftRules() {}

    /**
     * The rules of chain {@code of} that {@link #rule} reads, in the calling thread's namespace;
     * empty when there is no such table or chain.
     */
    public static List<Rule> read(NftBatch.Chain of) {
        String table = of.table().name();
        String chain = of.name();
        String action = "list nft rules of " + of;
        NlWriter dump = NftBatch.request(NFT_MSG_GETRULE, of.table().family(), Uapi.NLM_F_DUMP)
                .attrString(NFTA_RULE_TABLE, table)
                .attrString(NFTA_RULE_CHAIN, chain);
        List<Rule> out = new ArrayList<>();
        try (NetlinkSocket socket = NetlinkSocket.open(Uapi.NETLINK_NETFILTER, KernelErrors.NONE)) {
            for (NlMessage m : socket.dump(dump, action)) {
                NlAttrs rule = NlAttrs.parse(m.payload(), NFGENMSG_LEN);
                if (table.equals(rule.string(NFTA_RULE_TABLE)) && chain.equals(rule.string(NFTA_RULE_CHAIN))) {
                    Rule r = rule(rule.bytes(NFTA_RULE_EXPRESSIONS));
                    if (r != null) {
                        out.add(r);
                    }
                }
            }
        } catch (dev.berth.kernel.ffm.KernelException e) {
            if (e.isErrno(dev.berth.kernel.ffm.Errno.ENOENT)) {
                return List.of(); // no such table or chain
            }
            throw e;
        }
        return out;
    }

    /** The rule, from its list of expressions; null when it is not a plain DNAT or port-setting rule. */
    static Rule rule(byte[] expressions) {
        if (expressions == null) {
            return null;
        }
        Map<Integer, Object> registers = new HashMap<>(); // a source (String) or a constant (byte[])
        Map<String, byte[]> matches = new HashMap<>();
        Action found = null;
        ByteBuffer list = ByteBuffer.wrap(expressions).order(ByteOrder.nativeOrder());
        for (NlAttrs expr : NlAttrs.parseAll(list, NFTA_LIST_ELEM)) {
            NlAttrs data = expr.nested(NFTA_EXPR_DATA);
            String name = expr.string(NFTA_EXPR_NAME);
            Action action = null;
            switch (name == null ? "" : name) {
                case "payload" -> {
                    String field = "payload " + be32(data, NFTA_PAYLOAD_BASE) + " " + be32(data, NFTA_PAYLOAD_OFFSET)
                            + " " + be32(data, NFTA_PAYLOAD_LEN);
                    if (data.has(NFTA_PAYLOAD_DREG)) {
                        registers.put(be32(data, NFTA_PAYLOAD_DREG), field);
                    } else if ((field.equals(SPORT) || field.equals(DPORT))
                            && registers.get(be32(data, NFTA_PAYLOAD_SREG)) instanceof byte[] port) {
                        action = new SetPort(field.equals(DPORT), port(port));
                    } else {
                        return null; // a write of something else
                    }
                }
                case "meta" -> {
                    if (!data.has(NFTA_META_DREG) || be32(data, NFTA_META_KEY) != NFT_META_L4PROTO) {
                        return null;
                    }
                    registers.put(be32(data, NFTA_META_DREG), L4PROTO);
                }
                case "cmp" -> {
                    if (be32(data, NFTA_CMP_OP) != NFT_CMP_EQ || !(registers.get(be32(data, NFTA_CMP_SREG)) instanceof String source)) {
                        return null;
                    }
                    matches.put(source, data.nested(NFTA_CMP_DATA).bytes(NFTA_DATA_VALUE));
                }
                case "immediate" -> {
                    byte[] value = data.nested(NFTA_IMMEDIATE_DATA).bytes(NFTA_DATA_VALUE);
                    if (value == null) {
                        return null; // a verdict: not a rewriting rule's
                    }
                    registers.put(be32(data, NFTA_IMMEDIATE_DREG), value);
                }
                case "nat" -> {
                    if (be32(data, NFTA_NAT_TYPE) != NFT_NAT_DNAT
                            || !(registers.get(be32(data, NFTA_NAT_REG_ADDR_MIN)) instanceof byte[] to)
                            || !(registers.get(be32(data, NFTA_NAT_REG_PROTO_MIN)) instanceof byte[] port)) {
                        return null;
                    }
                    action = new Dnat(address(to, 4), port(port));
                }
                default -> {
                    return null;
                }
            }
            if (action != null) {
                if (found != null) {
                    return null; // two actions: not a plain rule
                }
                found = action;
            }
        }
        if (found == null) {
            return null;
        }
        byte[] proto = matches.get(L4PROTO);
        return new Rule(proto == null || proto.length < 1 ? -1 : Byte.toUnsignedInt(proto[0]),
                address(matches.get(IPV4_SADDR), 4), address(matches.get(IPV4_DADDR), 4),
                port(matches.get(SPORT)), port(matches.get(DPORT)), found);
    }

    /** nf_tables' u32 attributes are big-endian; -1 when absent. */
    private static int be32(NlAttrs attrs, int type) {
        byte[] v = attrs.bytes(type);
        return v == null || v.length < 4 ? -1 : ByteBuffer.wrap(v).getInt();
    }

    /** A port in network order: the first two bytes of a register's value; -1 if shorter. */
    private static int port(byte[] value) {
        return value == null || value.length < 2 ? -1 : (Byte.toUnsignedInt(value[0]) << 8) | Byte.toUnsignedInt(value[1]);
    }

    private static InetAddress address(byte[] value, int length) {
        if (value == null || value.length < length) {
            return null;
        }
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOf(value, length));
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
