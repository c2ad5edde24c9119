package dev.berth.kernel.netlink;

import java.util.Arrays;
import java.util.Objects;

/**
 * A network interface as an RTM_GETLINK dump reports it.
 *
 * @param kind        IFLA_INFO_KIND: "bridge", "veth", ...; null for devices without link info (lo)
 * @param mac         IFLA_ADDRESS; 6 bytes for Ethernet, null when the device has none
 * @param up          IFF_UP, the administrative state
 * @param masterIndex IFLA_MASTER, 0 when not enslaved
 * @param operState   IFLA_OPERSTATE (RFC 2863): 0 unknown, 2 down, 5 dormant, 6 up, 7 lower layer down
 * @param group       IFLA_GROUP, the device group (0 is the default group)
 */
public record Link(int index, String name, String kind, int mtu, byte[] mac, boolean up, int masterIndex,
                   int operState, int group) {
    public static final int OPER_UNKNOWN = 0;
    public static final int OPER_DOWN = 2;
    public static final int OPER_UP = 6;
    public static final int OPER_LOWER_LAYER_DOWN = 7;

    public Link {
        mac = mac == null ? null : mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac == null ? null : mac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Link l && index == l.index && Objects.equals(name, l.name) && Objects.equals(kind, l.kind)
                && mtu == l.mtu && Arrays.equals(mac, l.mac) && up == l.up && masterIndex == l.masterIndex
                && operState == l.operState && group == l.group;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, name, kind, mtu, Arrays.hashCode(mac), up, masterIndex, operState, group);
    }

    @Override
    public String toString() {
        return "Link[" + index + " " + name + " kind=" + kind + " mtu=" + mtu + " mac=" + Mac.format(mac)
                + " up=" + up + " master=" + masterIndex + " oper=" + operState + " group=" + group + "]";
    }
}
