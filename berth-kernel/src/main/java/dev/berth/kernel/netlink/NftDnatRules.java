package dev.berth.kernel.netlink;

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
 * The DNAT rules of one nftables chain, read from the kernel with one rule dump over a
 * {@code NETLINK_NETFILTER} socket opened in the calling thread's namespace (and closed again).
 * No libnftables: a context costs 1-2 ms and a low descriptor number (its {@code select()}), one
 * per sandbox at start-up, where this read costs one socket and one dump.
 *
 * <p>Only what a rule's expressions say plainly is read, as a small register machine: a payload
 * or {@code meta} load names a register's source, {@code cmp eq} against such a register is a
 * match, {@code immediate} loads a constant, {@code nat dnat} takes the address and port from
 * registers that hold constants. A rule with any other expression (or a comparison other than
 * equality) is not reported: the caller then treats the chain as not holding what it looks for.
 */
public final class NftDnatRules {
    private static final int NFNL_SUBSYS_NFTABLES = 10;
    private static final int NFT_MSG_GETRULE = 7;
    private static final int NFTA_RULE_TABLE = 1;
    private static final int NFTA_RULE_CHAIN = 2;
    private static final int NFTA_RULE_EXPRESSIONS = 4;
    private static final int NFTA_LIST_ELEM = 1;
    private static final int NFTA_EXPR_NAME = 1;
    private static final int NFTA_EXPR_DATA = 2;
    private static final int NFTA_DATA_VALUE = 1;
    /** NFTA_PAYLOAD_DREG, _BASE, _OFFSET, _LEN. */
    private static final int PAYLOAD_DREG = 1;
    private static final int PAYLOAD_BASE = 2;
    private static final int PAYLOAD_OFFSET = 3;
    private static final int PAYLOAD_LEN = 4;
    /** NFTA_META_DREG, _KEY. */
    private static final int META_DREG = 1;
    private static final int META_KEY = 2;
    /** NFTA_CMP_SREG, _OP, _DATA; NFT_CMP_EQ. */
    private static final int CMP_SREG = 1;
    private static final int CMP_OP = 2;
    private static final int CMP_DATA = 3;
    private static final int CMP_EQ = 0;
    /** NFTA_IMMEDIATE_DREG, _DATA. */
    private static final int IMMEDIATE_DREG = 1;
    private static final int IMMEDIATE_DATA = 2;
    /** NFTA_NAT_TYPE, _REG_ADDR_MIN, _REG_PROTO_MIN; NFT_NAT_DNAT. */
    private static final int NAT_TYPE = 1;
    private static final int NAT_REG_ADDR_MIN = 3;
    private static final int NAT_REG_PROTO_MIN = 5;
    private static final int NAT_DNAT = 1;
    private static final int NFT_PAYLOAD_NETWORK_HEADER = 1;
    private static final int NFT_PAYLOAD_TRANSPORT_HEADER = 2;
    private static final int NFT_META_L4PROTO = 16;
    /** What a register was loaded from: the keys of {@link #matches}. */
    private static final String L4PROTO = "meta l4proto";
    private static final String IPV4_DADDR = "payload " + NFT_PAYLOAD_NETWORK_HEADER + " 16 4";
    private static final String DPORT = "payload " + NFT_PAYLOAD_TRANSPORT_HEADER + " 2 2";

    /** NFPROTO_IPV4, as a rule dump's family. */
    public static final int IPV4 = 2;

    /**
     * One DNAT rule: what it matches (layer 4 protocol, IPv4 destination address, destination
     * port; -1 or null where it does not match on that) and where it sends the packet.
     */
    public record Dnat(int l4proto, InetAddress daddr, int dport, InetAddress to, int toPort) {
    }

    private NftDnatRules() {}

    /**
     * The DNAT rules of {@code chain} in table {@code table} of {@code family}, in the calling
     * thread's namespace; empty when there is no such table or chain.
     */
    public static List<Dnat> read(int family, String table, String chain) {
        String action = "list nft rules of " + table + " " + chain;
        NlWriter dump = new NlWriter(NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETRULE, Uapi.NLM_F_REQUEST | Uapi.NLM_F_DUMP)
                .u8(family).u8(0).u16(0) // struct nfgenmsg: family, NFNETLINK_V0, res_id
                .attrString(NFTA_RULE_TABLE, table)
                .attrString(NFTA_RULE_CHAIN, chain);
        List<Dnat> out = new ArrayList<>();
        try (NetlinkSocket socket = NetlinkSocket.open(Uapi.NETLINK_NETFILTER, KernelErrors.NONE)) {
            for (NlMessage m : socket.dump(dump, action)) {
                NlAttrs rule = NlAttrs.parse(m.payload(), 4);
                if (table.equals(rule.string(NFTA_RULE_TABLE)) && chain.equals(rule.string(NFTA_RULE_CHAIN))) {
                    Dnat d = dnat(rule.bytes(NFTA_RULE_EXPRESSIONS));
                    if (d != null) {
                        out.add(d);
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

    /** The rule's DNAT, from its list of expressions; null when it is not a plain DNAT rule. */
    static Dnat dnat(byte[] expressions) {
        if (expressions == null) {
            return null;
        }
        Map<Integer, Object> registers = new HashMap<>(); // a source (String) or a constant (byte[])
        Map<String, byte[]> matches = new HashMap<>();
        Dnat found = null;
        ByteBuffer list = ByteBuffer.wrap(expressions).order(ByteOrder.nativeOrder());
        for (NlAttrs expr : NlAttrs.parseAll(list, NFTA_LIST_ELEM)) {
            NlAttrs data = expr.nested(NFTA_EXPR_DATA);
            String name = expr.string(NFTA_EXPR_NAME);
            switch (name == null ? "" : name) {
                case "payload" -> {
                    if (!data.has(PAYLOAD_DREG)) {
                        return null; // a payload write
                    }
                    registers.put(be32(data, PAYLOAD_DREG), "payload " + be32(data, PAYLOAD_BASE)
                        + " " + be32(data, PAYLOAD_OFFSET) + " " + be32(data, PAYLOAD_LEN));
                }
                case "meta" -> {
                    if (!data.has(META_DREG) || be32(data, META_KEY) != NFT_META_L4PROTO) {
                        return null;
                    }
                    registers.put(be32(data, META_DREG), L4PROTO);
                }
                case "cmp" -> {
                    if (be32(data, CMP_OP) != CMP_EQ || !(registers.get(be32(data, CMP_SREG)) instanceof String source)) {
                        return null;
                    }
                    matches.put(source, data.nested(CMP_DATA).bytes(NFTA_DATA_VALUE));
                }
                case "immediate" -> {
                    byte[] value = data.nested(IMMEDIATE_DATA).bytes(NFTA_DATA_VALUE);
                    if (value == null) {
                        return null; // a verdict: not a NAT rule's
                    }
                    registers.put(be32(data, IMMEDIATE_DREG), value);
                }
                case "nat" -> {
                    if (be32(data, NAT_TYPE) != NAT_DNAT
                            || !(registers.get(be32(data, NAT_REG_ADDR_MIN)) instanceof byte[] to)
                            || !(registers.get(be32(data, NAT_REG_PROTO_MIN)) instanceof byte[] port)) {
                        return null;
                    }
                    byte[] proto = matches.get(L4PROTO);
                    byte[] daddr = matches.get(IPV4_DADDR);
                    byte[] dport = matches.get(DPORT);
                    found = new Dnat(proto == null || proto.length < 1 ? -1 : Byte.toUnsignedInt(proto[0]),
                            daddr == null ? null : address(daddr, 4), dport == null ? -1 : port(dport),
                            address(to, 4), port(port));
                }
                default -> {
                    return null;
                }
            }
        }
        return found;
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
