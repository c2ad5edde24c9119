package dev.berth.kernel.netlink;

import java.net.Inet4Address;
import java.util.List;

/**
 * One nf_tables expression of a rule, as the kernel runs it: loads into registers, comparisons,
 * constants, writes into the packet, a verdict, a set lookup. A rule ({@link NftBatch#addRule}) is
 * a list of them; the factories that return lists give the expressions libnftables generates for
 * common matches ({@code nft --debug=netlink} shows them), so a rule written here lists the same as
 * the nft text.
 *
 * <p>Registers are the 16-byte ones ({@link #REG_1}, {@link #REG_2}; {@link #REG_VERDICT} is the
 * verdict). Values are bytes as they sit in the packet: network order for addresses and ports.
 */
public sealed interface NftExpr {
    int REG_VERDICT = 0;
    int REG_1 = 1;
    int REG_2 = 2;

    /** Where a payload load starts (NFT_PAYLOAD_*_HEADER). */
    enum Base {
        LINK(0), NETWORK(1), TRANSPORT(2);

        final int value;

        Base(int value) {
            this.value = value;
        }
    }

    /** {@code payload load <length>b @ <base> header + <offset> => reg <dreg>}. */
    record Payload(Base base, int offset, int length, int dreg) implements NftExpr {
    }

    /**
     * {@code payload write reg <sreg> => <length>b @ <base> header + <offset> csum_type 1 csum_off
     * <csumOffset>}: the register's first bytes written into the packet, and the internet checksum
     * at {@code csumOffset} (from the same header) updated for the change.
     */
    record PayloadWrite(Base base, int offset, int length, int sreg, int csumOffset) implements NftExpr {
    }

    /** {@code meta load l4proto => reg <dreg>}: the layer 4 protocol, after any IPv6 extension headers. */
    record MetaL4proto(int dreg) implements NftExpr {
    }

    /** {@code cmp eq reg <sreg> <value>}: the rule goes on only if the register starts with {@code value}. */
    record CmpEq(int sreg, byte[] value) implements NftExpr {
        public CmpEq {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }
    }

    /** {@code immediate reg <dreg> <value>}: a constant into a register. */
    record Immediate(int dreg, byte[] value) implements NftExpr {
        public Immediate {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }
    }

    /** {@code immediate reg 0 <verdict>}: accept or drop (NF_ACCEPT, NF_DROP). */
    record Verdict(int code) implements NftExpr {
        public static final int DROP = 0;
        public static final int ACCEPT = 1;
    }

    /** {@code lookup reg <sreg> set <set>}: the rule goes on only if the register's value is in the set. */
    record Lookup(int sreg, AnonymousSet set) implements NftExpr {
    }

    /**
     * A constant anonymous set, made with the rule that looks it up (in the same transaction) and
     * gone with it, as libnftables makes {@code { a, b, c }}: flags anonymous and constant, its
     * kernel name {@code __set%d}. {@code keyType} is nft's data type number, which only nft's
     * printing uses (29 is {@code icmpv6_type}: {@code nft list} then prints the elements by
     * name). libnftables also stores user data with it (the key's byte order and a {@code typeof}
     * description); nft 1.0.6 prints such a set the same without it, so none is written.
     */
    record AnonymousSet(int keyType, int keyLength, List<byte[]> elements) {
        public AnonymousSet {
            elements = elements.stream().map(byte[]::clone).toList();
            for (byte[] e : elements) {
                if (e.length != keyLength) {
                    throw new IllegalArgumentException("element of " + e.length + " bytes in a set of " + keyLength);
                }
            }
        }

        @Override
        public List<byte[]> elements() {
            return elements.stream().map(byte[]::clone).toList();
        }
    }

    /** {@code ip daddr <address>}. */
    static List<NftExpr> ipv4Daddr(Inet4Address address) {
        return List.of(new Payload(Base.NETWORK, 16, 4, REG_1), new CmpEq(REG_1, address.getAddress()));
    }

    /** {@code ip saddr <address>}. */
    static List<NftExpr> ipv4Saddr(Inet4Address address) {
        return List.of(new Payload(Base.NETWORK, 12, 4, REG_1), new CmpEq(REG_1, address.getAddress()));
    }

    /** {@code meta l4proto <protocol>}: what {@code udp ...}, {@code tcp ...} and {@code icmpv6 ...} start with. */
    static List<NftExpr> l4proto(int protocol) {
        return List.of(new MetaL4proto(REG_1), new CmpEq(REG_1, new byte[] {(byte) protocol}));
    }

    /** The destination port of UDP or TCP ({@code udp dport}, {@code tcp dport}, after {@link #l4proto}). */
    static List<NftExpr> dport(int port) {
        return List.of(new Payload(Base.TRANSPORT, 2, 2, REG_1), new CmpEq(REG_1, port(port)));
    }

    /** The source port of UDP or TCP ({@code udp sport}, {@code tcp sport}, after {@link #l4proto}). */
    static List<NftExpr> sport(int port) {
        return List.of(new Payload(Base.TRANSPORT, 0, 2, REG_1), new CmpEq(REG_1, port(port)));
    }

    /**
     * {@code udp dport set <port>} or {@code tcp dport set <port>} (after {@link #l4proto} of the
     * same protocol): the destination port rewritten in place, the checksum with it; stateless.
     */
    static List<NftExpr> setDport(int protocol, int port) {
        return List.of(new Immediate(REG_1, port(port)), new PayloadWrite(Base.TRANSPORT, 2, 2, REG_1, checksumOffset(protocol)));
    }

    /** {@code udp sport set <port>} or {@code tcp sport set <port>}: as {@link #setDport}, for the source port. */
    static List<NftExpr> setSport(int protocol, int port) {
        return List.of(new Immediate(REG_1, port(port)), new PayloadWrite(Base.TRANSPORT, 0, 2, REG_1, checksumOffset(protocol)));
    }

    /** Where the checksum sits in a UDP (6) or TCP (16) header. */
    private static int checksumOffset(int protocol) {
        return switch (protocol) {
            case 17 -> 6;
            case 6 -> 16;
            default -> throw new IllegalArgumentException("no port in protocol " + protocol);
        };
    }

    /** {@code drop}. */
    static NftExpr drop() {
        return new Verdict(Verdict.DROP);
    }

    /** A port as it sits in the packet: two bytes, big-endian. */
    static byte[] port(int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port);
        }
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }
}
