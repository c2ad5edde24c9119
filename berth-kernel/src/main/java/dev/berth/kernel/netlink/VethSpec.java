package dev.berth.kernel.netlink;

import java.util.Arrays;
import java.util.Objects;

import dev.berth.kernel.netns.NetNs;

/**
 * A veth pair to create with one RTM_NEWLINK: the host end in the socket's namespace, the peer
 * created directly inside {@code peerNs} (moving a device between namespaces later costs ~15-19 ms
 * in the kernel; creating it there costs nothing extra).
 *
 * @param peerMac     null lets the kernel pick a random one
 * @param mtu         for both ends; 0 keeps the kernel default
 * @param masterIndex bridge to enslave the host end to; 0 for none
 * @param hostUp      bring the host end up (the peer stays down)
 * @param peerNs      namespace for the peer; null keeps it next to the host end. Its fd must stay
 *                    open until createVeth returns.
 */
public record VethSpec(String hostName, String peerName, byte[] peerMac, int mtu, int masterIndex, boolean hostUp,
                       NetNs peerNs) {
    public VethSpec {
        IfNames.check(hostName);
        IfNames.check(peerName);
        Mac.check(peerMac);
        if (mtu < 0 || masterIndex < 0) {
            throw new IllegalArgumentException("negative MTU or master index for veth " + hostName);
        }
        peerMac = peerMac == null ? null : peerMac.clone();
    }

    @Override
    public byte[] peerMac() {
        return peerMac == null ? null : peerMac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VethSpec v && hostName.equals(v.hostName) && peerName.equals(v.peerName)
                && Arrays.equals(peerMac, v.peerMac) && mtu == v.mtu && masterIndex == v.masterIndex
                && hostUp == v.hostUp && Objects.equals(peerNs, v.peerNs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostName, peerName, Arrays.hashCode(peerMac), mtu, masterIndex, hostUp, peerNs);
    }

    @Override
    public String toString() {
        return "VethSpec[" + hostName + " peer " + peerName + " mac=" + Mac.format(peerMac) + " mtu=" + mtu
                + " master=" + masterIndex + " hostUp=" + hostUp + " peerNs=" + peerNs + "]";
    }
}
