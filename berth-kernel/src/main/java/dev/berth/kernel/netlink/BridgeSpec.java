package dev.berth.kernel.netlink;

import java.util.Objects;

/**
 * A bridge to create.
 *
 * @param mtu 0 keeps the kernel default
 * @param mac null lets the kernel pick a random one
 */
public record BridgeSpec(String name, int mtu, byte[] mac) {
    public BridgeSpec {
        IfNames.check(name);
        if (mtu < 0) {
            throw new IllegalArgumentException("negative MTU for bridge " + name + ": " + mtu);
        }
        Mac.check(mac);
        mac = mac == null ? null : mac.clone();
    }

    public static BridgeSpec named(String name) {
        return new BridgeSpec(name, 0, null);
    }

    @Override
    public byte[] mac() {
        return mac == null ? null : mac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BridgeSpec b && name.equals(b.name) && mtu == b.mtu && java.util.Arrays.equals(mac, b.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, mtu, java.util.Arrays.hashCode(mac));
    }

    @Override
    public String toString() {
        return "BridgeSpec[" + name + " mtu=" + mtu + " mac=" + Mac.format(mac) + "]";
    }
}
