package dev.berth.kernel.netlink;

import static dev.berth.kernel.netlink.Uapi.*;

/** RTM_*LINK messages: {@code struct ifinfomsg} plus IFLA_* attributes. */
final class LinkCodec {
    private static final int REQ_ACK = NLM_F_REQUEST | NLM_F_ACK;
    private static final int REQ_CREATE = REQ_ACK | NLM_F_CREATE | NLM_F_EXCL;

    private LinkCodec() {}

    /** struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; } */
    private static NlWriter ifinfo(NlWriter w, int family, int index, int flags, int change) {
        return w.u8(family).u8(0).u16(0).u32(index).u32(flags).u32(change);
    }

    static NlWriter dump() {
        return ifinfo(new NlWriter(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP), AF_UNSPEC, 0, 0, 0);
    }

    static NlWriter get(int index) {
        return ifinfo(new NlWriter(RTM_GETLINK, REQ_ACK), AF_UNSPEC, index, 0, 0);
    }

    static NlWriter get(String name) {
        return ifinfo(new NlWriter(RTM_GETLINK, REQ_ACK), AF_UNSPEC, 0, 0, 0).attrString(IFLA_IFNAME, name);
    }

    /** RTM_NEWLINK kind vxlan: id, local, dstport (big-endian), learning off, ARP/ND proxy on. */
    static NlWriter newVxlan(VxlanSpec spec) {
        NlWriter w = ifinfo(new NlWriter(RTM_NEWLINK, REQ_CREATE), AF_UNSPEC, 0, 0, 0);
        w.attrString(IFLA_IFNAME, spec.name());
        if (spec.mtu() > 0) {
            w.attrU32(IFLA_MTU, spec.mtu());
        }
        if (spec.group() != 0) {
            w.attrU32(IFLA_GROUP, spec.group());
        }
        int linkInfo = w.nest(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, "vxlan");
        int data = w.nest(IFLA_INFO_DATA);
        w.attrU32(IFLA_VXLAN_ID, spec.vni());
        w.attr(spec.ipv4() ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, spec.local().getAddress());
        w.attr(IFLA_VXLAN_PORT, new byte[] {(byte) (spec.port() >>> 8), (byte) spec.port()});
        w.attrU8(IFLA_VXLAN_LEARNING, 0);
        w.attrU8(IFLA_VXLAN_PROXY, 1);
        w.end(data);
        return w.end(linkInfo);
    }

    static NlWriter newBridge(BridgeSpec spec) {
        NlWriter w = ifinfo(new NlWriter(RTM_NEWLINK, REQ_CREATE), AF_UNSPEC, 0, 0, 0);
        w.attrString(IFLA_IFNAME, spec.name());
        if (spec.mtu() > 0) {
            w.attrU32(IFLA_MTU, spec.mtu());
        }
        if (spec.mac() != null) {
            w.attr(IFLA_ADDRESS, spec.mac());
        }
        if (spec.group() != 0) {
            w.attrU32(IFLA_GROUP, spec.group());
        }
        int linkInfo = w.nest(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, "bridge");
        if (!spec.multicastSnooping()) {
            int data = w.nest(IFLA_INFO_DATA);
            w.attrU8(IFLA_BR_MCAST_SNOOPING, 0);
            w.end(data);
        }
        return w.end(linkInfo);
    }

    /**
     * One fused RTM_NEWLINK: host end named, enslaved and (optionally) up; VETH_INFO_PEER holds a
     * second ifinfomsg followed by the peer's name, MAC, MTU and target namespace fd. The kernel
     * ignores ifi_change == 0 as "all flags", so IFF_UP is also put in the change mask.
     */
    static NlWriter newVeth(VethSpec spec) {
        int up = spec.hostUp() ? IFF_UP : 0;
        NlWriter w = ifinfo(new NlWriter(RTM_NEWLINK, REQ_CREATE), AF_UNSPEC, 0, up, up);
        w.attrString(IFLA_IFNAME, spec.hostName());
        if (spec.mtu() > 0) {
            w.attrU32(IFLA_MTU, spec.mtu());
        }
        if (spec.masterIndex() > 0) {
            w.attrU32(IFLA_MASTER, spec.masterIndex());
        }
        int linkInfo = w.nest(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, "veth");
        int data = w.nest(IFLA_INFO_DATA);
        int peer = w.nest(VETH_INFO_PEER);
        ifinfo(w, AF_UNSPEC, 0, 0, 0);
        w.attrString(IFLA_IFNAME, spec.peerName());
        if (spec.peerMac() != null) {
            w.attr(IFLA_ADDRESS, spec.peerMac());
        }
        if (spec.mtu() > 0) {
            w.attrU32(IFLA_MTU, spec.mtu());
        }
        if (spec.peerNs() != null) {
            w.attrU32(IFLA_NET_NS_FD, spec.peerNs().fd());
        }
        w.end(peer);
        w.end(data);
        return w.end(linkInfo);
    }

    static NlWriter delete(int index) {
        return ifinfo(new NlWriter(RTM_DELLINK, REQ_ACK), AF_UNSPEC, index, 0, 0);
    }

    static NlWriter delete(String name) {
        return ifinfo(new NlWriter(RTM_DELLINK, REQ_ACK), AF_UNSPEC, 0, 0, 0).attrString(IFLA_IFNAME, name);
    }

    /** RTM_DELLINK by group: every link of the group goes in one kernel batch (one RCU grace period). */
    static NlWriter deleteGroup(int group) {
        return ifinfo(new NlWriter(RTM_DELLINK, REQ_ACK), AF_UNSPEC, 0, 0, 0).attrU32(IFLA_GROUP, group);
    }

    static NlWriter setGroup(String name, int group) {
        return ifinfo(new NlWriter(RTM_NEWLINK, REQ_ACK), AF_UNSPEC, 0, 0, 0).attrString(IFLA_IFNAME, name)
                .attrU32(IFLA_GROUP, group);
    }

    static NlWriter detach(String name, int group) {
        return setGroup(name, group).attrU32(IFLA_MASTER, 0);
    }

    static NlWriter setUp(int index, boolean up) {
        return ifinfo(new NlWriter(RTM_NEWLINK, REQ_ACK), AF_UNSPEC, index, up ? IFF_UP : 0, IFF_UP);
    }

    static NlWriter setMtu(int index, int mtu) {
        return ifinfo(new NlWriter(RTM_NEWLINK, REQ_ACK), AF_UNSPEC, index, 0, 0).attrU32(IFLA_MTU, mtu);
    }

    static NlWriter setName(int index, String name) {
        return ifinfo(new NlWriter(RTM_NEWLINK, REQ_ACK), AF_UNSPEC, index, 0, 0).attrString(IFLA_IFNAME, name);
    }

    static NlWriter setMac(int index, byte[] mac) {
        return ifinfo(new NlWriter(RTM_NEWLINK, REQ_ACK), AF_UNSPEC, index, 0, 0).attr(IFLA_ADDRESS, mac);
    }

    static NlWriter setMaster(int index, int masterIndex) {
        return ifinfo(new NlWriter(RTM_NEWLINK, REQ_ACK), AF_UNSPEC, index, 0, 0).attrU32(IFLA_MASTER, masterIndex);
    }

    /**
     * Bridge-port hairpin mode, as {@code bridge link set dev X hairpin on} sends it: RTM_SETLINK
     * in family AF_BRIDGE (routed to the bridge's ndo_bridge_setlink). br_setlink reads
     * IFLA_PROTINFO as a nest only when NLA_F_NESTED is set; without it, it takes the payload as a
     * legacy one-byte port state.
     */
    static NlWriter hairpin(int index, boolean on) {
        NlWriter w = ifinfo(new NlWriter(RTM_SETLINK, REQ_ACK), AF_BRIDGE, index, 0, 0);
        int protinfo = w.nest(IFLA_PROTINFO | NLA_F_NESTED);
        w.attrU8(IFLA_BRPORT_MODE, on ? 1 : 0);
        return w.end(protinfo);
    }

    static Link decode(NlMessage m) {
        var p = m.payload();
        int index = p.getInt(4);
        int flags = p.getInt(8);
        NlAttrs a = NlAttrs.parse(p, IFINFOMSG_LEN);
        byte[] mac = a.bytes(IFLA_ADDRESS);
        String kind = a.nested(IFLA_LINKINFO).string(IFLA_INFO_KIND);
        return new Link(index, a.string(IFLA_IFNAME), kind, a.u32(IFLA_MTU, 0), mac, (flags & IFF_UP) != 0,
                a.u32(IFLA_MASTER, 0), a.u8(IFLA_OPERSTATE, 0), a.u32(IFLA_GROUP, 0));
    }
}
