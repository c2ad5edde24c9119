package dev.berth.kernel.netlink;

import java.net.InetAddress;

import static dev.berth.kernel.netlink.Uapi.*;

/** RTM_*NEIGH messages for proxy entries: {@code struct ndmsg} plus NDA_DST (and NDA_PROTOCOL). */
final class NeighbourCodec {
    private NeighbourCodec() {}

    /** struct ndmsg { u8 family; u8 pad1; u16 pad2; s32 ifindex; u16 state; u8 flags; u8 type; } */
    private static NlWriter ndmsg(NlWriter w, int family, int index, int state, int flags) {
        return w.u8(family).u8(0).u16(0).u32(index).u16(state).u8(flags).u8(0);
    }

    /**
     * Proxy entries live in the kernel's pneigh table, where an add of an existing entry just
     * succeeds; NLM_F_REPLACE keeps that explicit. A {@code protocol} other than 0 is stored with
     * the entry (also over an existing one); 0 leaves an existing entry's mark as it is.
     */
    static NlWriter addProxy(int index, InetAddress address, int protocol) {
        NlWriter w = ndmsg(new NlWriter(RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
                RouteSpec.familyOf(address), index, NUD_PERMANENT, NTF_PROXY);
        w.attr(NDA_DST, address.getAddress());
        return protocol == 0 ? w : w.attrU8(NDA_PROTOCOL, protocol);
    }

    /** One proxy entry (RTM_GETNEIGH without NLM_F_DUMP, Linux 5.0+): ENOENT when there is none. */
    static NlWriter getProxy(int index, InetAddress address) {
        NlWriter w = ndmsg(new NlWriter(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_ACK), RouteSpec.familyOf(address), index,
                0, NTF_PROXY);
        return w.attr(NDA_DST, address.getAddress());
    }

    static NlWriter deleteProxy(int index, InetAddress address) {
        NlWriter w = ndmsg(new NlWriter(RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK), RouteSpec.familyOf(address), index,
                0, NTF_PROXY);
        return w.attr(NDA_DST, address.getAddress());
    }

    /** The kernel dumps the proxy table instead of the neighbour cache when ndm_flags == NTF_PROXY exactly. */
    static NlWriter dumpProxies(int family) {
        return ndmsg(new NlWriter(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP), family, 0, 0, NTF_PROXY);
    }

    static ProxyNeighbour decode(NlMessage m) {
        int index = m.payload().getInt(4);
        NlAttrs a = NlAttrs.parse(m.payload(), NDMSG_LEN);
        return new ProxyNeighbour(index, AddressCodec.inet(a.bytes(NDA_DST)), a.u8(NDA_PROTOCOL, 0));
    }

    /** A VXLAN FDB entry: AF_BRIDGE, NTF_SELF (the device's own table, not a bridge's), NDA_LLADDR + NDA_DST. */
    static NlWriter replaceFdb(int index, byte[] mac, InetAddress remote) {
        NlWriter w = ndmsg(new NlWriter(RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
                AF_BRIDGE, index, NUD_PERMANENT, NTF_SELF);
        return w.attr(NDA_LLADDR, mac).attr(NDA_DST, remote.getAddress());
    }

    static NlWriter deleteFdb(int index, byte[] mac, InetAddress remote) {
        NlWriter w = ndmsg(new NlWriter(RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK), AF_BRIDGE, index, 0, NTF_SELF);
        return w.attr(NDA_LLADDR, mac).attr(NDA_DST, remote.getAddress());
    }

    /** A permanent IP-to-MAC entry (what a VXLAN device in proxy mode answers ARP and NS from). */
    static NlWriter replaceNeighbour(int index, InetAddress address, byte[] mac) {
        NlWriter w = ndmsg(new NlWriter(RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
                RouteSpec.familyOf(address), index, NUD_PERMANENT, 0);
        return w.attr(NDA_DST, address.getAddress()).attr(NDA_LLADDR, mac);
    }

    static NlWriter deleteNeighbour(int index, InetAddress address) {
        NlWriter w = ndmsg(new NlWriter(RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK), RouteSpec.familyOf(address), index,
                0, 0);
        return w.attr(NDA_DST, address.getAddress());
    }

    /** Every neighbour of a family (AF_BRIDGE: forwarding entries, the VXLAN devices' among them). */
    static NlWriter dumpNeighbours(int family) {
        return ndmsg(new NlWriter(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP), family, 0, 0, 0);
    }

    static StaticNeighbour decodeNeighbour(NlMessage m) {
        int index = m.payload().getInt(4);
        int state = Short.toUnsignedInt(m.payload().getShort(8));
        NlAttrs a = NlAttrs.parse(m.payload(), NDMSG_LEN);
        byte[] dst = a.bytes(NDA_DST);
        byte[] mac = a.bytes(NDA_LLADDR);
        return new StaticNeighbour(index, dst == null ? null : AddressCodec.inet(dst),
                mac == null || mac.length != Mac.LENGTH ? "" : Mac.format(mac), state);
    }
}
