package dev.berth.kernel.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static dev.berth.kernel.netlink.Uapi.*;

/** RTM_*ADDR messages: {@code struct ifaddrmsg} plus IFA_* attributes. */
final class AddressCodec {
    private AddressCodec() {}

    /** struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; } */
    private static NlWriter ifaddr(NlWriter w, int family, int prefixLength, int flags, int index) {
        return w.u8(family).u8(prefixLength).u8(flags).u8(RT_SCOPE_UNIVERSE).u32(index);
    }

    static NlWriter dump() {
        return ifaddr(new NlWriter(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP), AF_UNSPEC, 0, 0, 0);
    }

    /**
     * IPv4 gets IFA_LOCAL (the interface's own address; IFA_ADDRESS is the peer on point-to-point
     * links, so both are set equal) and the directed broadcast, as Docker sets it; IPv6 gets
     * IFA_ADDRESS only. NODAD goes in both the u8 header flags and the u32 IFA_FLAGS attribute.
     */
    static NlWriter add(AddressSpec spec) {
        int family = RouteSpec.familyOf(spec.address());
        int flags = spec.noDad() && family == AF_INET6 ? IFA_F_NODAD : 0;
        NlWriter w = ifaddr(new NlWriter(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
                family, spec.prefixLength(), flags, spec.index());
        byte[] raw = spec.address().getAddress();
        if (family == AF_INET) {
            w.attr(IFA_LOCAL, raw).attr(IFA_ADDRESS, raw);
            if (spec.prefixLength() < 31) {
                w.attr(IFA_BROADCAST, broadcast(raw, spec.prefixLength()));
            }
        } else {
            w.attr(IFA_ADDRESS, raw);
        }
        if (flags != 0) {
            w.attrU32(IFA_FLAGS, flags);
        }
        return w;
    }

    static NlWriter delete(int index, InetAddress address, int prefixLength) {
        int family = RouteSpec.familyOf(address);
        NlWriter w = ifaddr(new NlWriter(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK), family, prefixLength, 0, index);
        byte[] raw = address.getAddress();
        if (family == AF_INET) {
            w.attr(IFA_LOCAL, raw);
        }
        return w.attr(IFA_ADDRESS, raw);
    }

    static byte[] broadcast(byte[] v4, int prefixLength) {
        int a = ((v4[0] & 0xff) << 24) | ((v4[1] & 0xff) << 16) | ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        int hostMask = prefixLength == 0 ? -1 : (1 << (32 - prefixLength)) - 1;
        int b = a | hostMask;
        return new byte[] {(byte) (b >>> 24), (byte) (b >>> 16), (byte) (b >>> 8), (byte) b};
    }

    static Address decode(NlMessage m) {
        var p = m.payload();
        int prefixLength = Byte.toUnsignedInt(p.get(1));
        int headerFlags = Byte.toUnsignedInt(p.get(2));
        int scope = Byte.toUnsignedInt(p.get(3));
        int index = p.getInt(4);
        NlAttrs a = NlAttrs.parse(p, IFADDRMSG_LEN);
        byte[] raw = a.has(IFA_LOCAL) ? a.bytes(IFA_LOCAL) : a.bytes(IFA_ADDRESS);
        int flags = a.u32(IFA_FLAGS, headerFlags);
        return new Address(index, inet(raw), prefixLength, scope, flags);
    }

    static InetAddress inet(byte[] raw) {
        if (raw == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + raw.length, e);
        }
    }

    static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}
