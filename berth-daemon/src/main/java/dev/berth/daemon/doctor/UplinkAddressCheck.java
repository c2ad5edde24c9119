package dev.berth.daemon.doctor;

import dev.berth.core.model.IpAddresses;
import dev.berth.daemon.onlink.OnLinkPrefix;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import java.util.List;

/**
 * The uplink's global IPv6 addresses. {@code ipv6-uplink-address}: there is none (only link-local
 * or ULA ones), so nothing leaves with a routable source. {@code ipv6-uplink-128}: there are, but
 * the uplink has no on-link global prefix (a lone /128, as many cloud hosts get): no room for
 * sandbox addresses on the LAN and nothing to proxy NDP in, so the way out is a ULA network, which
 * Berth masquerades behind the /128.
 */
final class UplinkAddressCheck implements Check {
    static final String ID = "ipv6-uplink-address";
    static final String ID_128 = "ipv6-uplink-128";
    @Override
    public List<Finding> run(HostView host) {
        if (!host.hasIpv6() || host.uplink6().isEmpty()) {
            return List.of();
        }
        Link uplink = host.uplink6().get();
        String name = uplink.name();
        List<Address> global = host.globalAddresses(uplink);
        if (global.isEmpty()) {
            List<Address> others = host.addresses6(uplink);
            return List.of(new Finding(ID, Severity.WARNING, name, name + " (the interface of the IPv6 default route) "
                    + "has no global IPv6 address" + (others.isEmpty() ? "" : ", only " + HostView.text(others)),
                    "Sandboxes' IPv6 traffic leaves masqueraded behind the uplink's address: without a global one it "
                            + "cannot go beyond the LAN, and no routed network can be reached from outside.",
                    List.of("# an address of your provider's prefix:",
                            "ip -6 addr add ADDRESS/64 dev " + name,
                            "# or one from router advertisements (SLAAC):",
                            "sysctl -w " + SysctlFix.name(SysctlFix.ipv6(name, "autoconf")) + "=1",
                            "sysctl -w " + SysctlFix.name(SysctlFix.ipv6(name, "accept_ra")) + "=2")));
        }
        List<OnLinkPrefix> prefixes = host.onLinkPrefixes().stream()
                .filter(o -> o.link().index() == uplink.index() && Ipv6.isGlobal(o.prefix())).toList();
        if (prefixes.isEmpty()) {
            String source = IpAddresses.format(global.getFirst().address());
            return List.of(new Finding(ID_128, Severity.WARNING, name, name + " has only " + HostView.text(global)
                    + " and no on-link global prefix",
                    "There is no room on this link for sandbox addresses, and NDP proxy can only answer for addresses "
                            + "inside an on-link prefix: a routed network with a global subnet cannot be reached here "
                            + "unless the upstream routes a prefix to this host. Use a ULA network instead: Berth "
                            + "masquerades it behind " + source + ".",
                    List.of(host.desired().ulaNetworkCommand())));
        }
        return List.of(Finding.ok(ID, name, name + " has " + HostView.text(global) + " (on-link "
                + String.join(", ", prefixes.stream().map(o -> o.prefix().toString()).toList()) + ")"));
    }
}
