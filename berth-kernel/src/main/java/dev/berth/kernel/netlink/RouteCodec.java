package dev.berth.kernel.netlink;

import static dev.berth.kernel.netlink.Uapi.*;

/** RTM_*ROUTE messages: {@code struct rtmsg} plus RTA_* attributes; main table only. */
final class RouteCodec {
    private RouteCodec() {}

    /** struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; } */
    private static NlWriter rtmsg(NlWriter w, int family, int dstLen, int protocol, int scope, int type) {
        return w.u8(family).u8(dstLen).u8(0).u8(0).u8(RT_TABLE_MAIN).u8(protocol).u8(scope).u8(type).u32(0);
    }

    static NlWriter dump(int family) {
        return rtmsg(new NlWriter(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP), family, 0, 0, 0, 0);
    }

    /**
     * Like {@code ip route add}: an IPv4 route without a gateway is link-scoped (directly
     * reachable on the interface); with a gateway it is universe-scoped. IPv6 has no route scopes.
     */
    static NlWriter add(RouteSpec spec) {
        int scope = spec.gateway() == null && spec.family() == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        NlWriter w = rtmsg(new NlWriter(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
                spec.family(), spec.prefixLength(), RTPROT_STATIC, scope, RTN_UNICAST);
        return attributes(w, spec);
    }

    /**
     * Like {@code ip route del}: scope RT_SCOPE_NOWHERE, protocol and type 0 act as wildcards in
     * the kernel's match, so the route is found whoever installed it.
     */
    static NlWriter delete(RouteSpec spec) {
        NlWriter w = rtmsg(new NlWriter(RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK), spec.family(),
                spec.prefixLength(), 0, RT_SCOPE_NOWHERE, 0);
        return attributes(w, spec);
    }

    private static NlWriter attributes(NlWriter w, RouteSpec spec) {
        if (spec.destination() != null) {
            w.attr(RTA_DST, spec.destination().getAddress());
        }
        if (spec.gateway() != null) {
            w.attr(RTA_GATEWAY, spec.gateway().getAddress());
        }
        if (spec.outIndex() > 0) {
            w.attrU32(RTA_OIF, spec.outIndex());
        }
        return w;
    }

    static Route decode(NlMessage m) {
        var p = m.payload();
        int family = Byte.toUnsignedInt(p.get(0));
        int dstLen = Byte.toUnsignedInt(p.get(1));
        int table = Byte.toUnsignedInt(p.get(4));
        int protocol = Byte.toUnsignedInt(p.get(5));
        int scope = Byte.toUnsignedInt(p.get(6));
        NlAttrs a = NlAttrs.parse(p, RTMSG_LEN);
        return new Route(AddressCodec.inet(a.bytes(RTA_DST)), dstLen, AddressCodec.inet(a.bytes(RTA_GATEWAY)),
                a.u32(RTA_OIF, 0), a.u32(RTA_TABLE, table), scope, protocol, family);
    }
}
