package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.MacAddresses;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.AddressSpec;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.sysctl.Sysctls;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * In-place repair of an endpoint whose veth pair still exists: whatever a crash between the fused
 * RTM_NEWLINK and the end of the configuration, or a hand with {@code ip}, can leave (host end off
 * its bridge or down, wrong MTU, peer down, addresses missing or extra). Each step only runs when
 * the kernel differs, so repairing a healthy endpoint costs one address dump in the sandbox.
 */
final class EndpointRepair {
    private static final int RT_SCOPE_UNIVERSE = 0;

    private EndpointRepair() {}

    /**
     * Whether {@code hostEnd} and {@code peer} are this endpoint's pair: both veth, the peer with the
     * endpoint's MAC. Anything else (a peer of an old endpoint that got the same {@code eth<N>}, a
     * host end whose peer went with another namespace) is replaced, not repaired.
     */
    static boolean isPair(Link hostEnd, Link peer, Endpoint e) {
        return hostEnd != null && peer != null && "veth".equals(hostEnd.kind()) && "veth".equals(peer.kind())
                && Arrays.equals(peer.mac(), MacAddresses.bytes(e.mac()));
    }

    /**
     * The host end on its bridge, with the network's MTU, hairpin on and up. A port moved to a new
     * bridge (the old one was deleted) starts with the kernel's default port flags: hairpin off.
     */
    static void hostEnd(Rtnl host, Link link, int bridge, int mtu) {
        if (link.masterIndex() != bridge) {
            host.setMaster(link.index(), bridge);
            host.setBridgePortHairpin(link.index(), true);
        }
        if (link.mtu() != mtu) {
            host.setMtu(link.index(), mtu);
        }
        if (!link.up()) {
            host.setUp(link.index(), true);
        }
    }

    /**
     * The sandbox end with the network's MTU, exactly the endpoint's global addresses (IPv6 turned
     * on first when one must be added: the namespace starts with it off; turned off again when the
     * endpoint has no IPv6 address but the interface still has one) and up.
     */
    static void peer(SandboxSockets.Handle sandbox, Link peer, Endpoint e, int mtu, Sysctls sysctl) {
        Rtnl netlink = sandbox.netlink();
        if (peer.mtu() != mtu) {
            netlink.setMtu(peer.index(), mtu);
        }
        List<IpPrefix> wanted = new ArrayList<>(e.addresses());
        wanted.addAll(linkLocal(e));
        List<Address> present = netlink.addresses(peer.index());
        boolean v6Wanted = wanted.stream().anyMatch(w -> w.address() instanceof Inet6Address);
        if (!v6Wanted && present.stream().anyMatch(a -> a.scope() == RT_SCOPE_UNIVERSE
                && a.address() instanceof Inet6Address)) {
            // IPv6 was taken off the endpoint (a reload, or a crash before one reached the kernel):
            // off again as on an IPv4-only endpoint, which takes its addresses and routes with it
            sysctl.write(sandbox.ns(), "net/ipv6/conf/" + e.ifName() + "/disable_ipv6", "1");
            present = netlink.addresses(peer.index());
        }
        for (Address a : present) {
            boolean ours = wanted.stream().anyMatch(w -> matches(w, a));
            if (!ours && a.scope() == RT_SCOPE_UNIVERSE) {
                netlink.deleteAddress(peer.index(), a.address(), a.prefixLength());
            }
        }
        for (IpPrefix w : wanted) {
            if (present.stream().noneMatch(a -> matches(w, a))) {
                boolean v6 = w.address() instanceof Inet6Address;
                if (v6) {
                    sysctl.write(sandbox.ns(), "net/ipv6/conf/" + e.ifName() + "/disable_ipv6", "0");
                }
                netlink.addAddress(new AddressSpec(peer.index(), w.address(), w.length(), v6));
            }
        }
        if (!peer.up()) {
            netlink.setUp(peer.index(), true);
        }
    }

    /**
     * The endpoint's {@code --link-local-ip} addresses with moby's prefix lengths: /16 for IPv4,
     * /64 for IPv6.
     */
    static List<IpPrefix> linkLocal(Endpoint e) {
        List<IpPrefix> out = new ArrayList<>();
        for (String text : e.requested().linkLocalIps()) {
            InetAddress address = IpAddresses.parse(text);
            out.add(new IpPrefix(address, address instanceof Inet4Address ? 16 : 64));
        }
        return out;
    }

    private static boolean matches(IpPrefix wanted, Address a) {
        return wanted.address().equals(a.address()) && wanted.length() == a.prefixLength()
                && (wanted.address() instanceof Inet4Address) == (a.address() instanceof Inet4Address);
    }
}
