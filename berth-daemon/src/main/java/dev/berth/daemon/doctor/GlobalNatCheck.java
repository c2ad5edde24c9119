package dev.berth.daemon.doctor;

import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ipv6-global-nat}: a network has a global IPv6 subnet but the default {@code nat} gateway
 * mode, so its global addresses are hidden behind the host's as IPv4 ones are (Docker 28). Users
 * who take a global subnet usually want the opposite: worth knowing, with the routed variant.
 */
final class GlobalNatCheck implements Check {
    static final String ID = "ipv6-global-nat";

    @Override
    public List<Finding> run(HostView host) {
        List<Finding> out = new ArrayList<>();
        for (Network n : host.desired().outbound()) {
            List<IpPrefix> global = Desired.globalSubnets(n);
            if (global.isEmpty() || Desired.reachedDirectly(n)) {
                continue;
            }
            String subnet = global.getFirst().toString();
            out.add(new Finding(ID, Severity.INFO, n.name(), "network " + n.name() + " has the global subnet "
                    + subnet + " in nat mode",
                    "Its sandboxes reach the outside masqueraded behind the host's address, and nothing from outside "
                            + "reaches their own global addresses except through published ports. If the subnet was "
                            + "meant to make them reachable, the network should be routed (then the subnet must lie in "
                            + "an on-link prefix of this host or be routed to it by the upstream). The gateway mode "
                            + "is fixed when a network is made: recreate it with its other options, and reconnect "
                            + "its sandboxes.", fix(n, subnet)));
        }
        return out.isEmpty() ? List.of(Finding.ok(ID, "", "no global IPv6 subnet is in nat mode")) : out;
    }

    private static List<String> fix(Network n, String subnet) {
        if (n.isPredefined()) {
            return List.of("# in daemon.json: \"default-network-opts\": {\"bridge\": {\""
                    + PredefinedNetworks.OPT_GATEWAY_MODE_IPV6 + "\": \"" + GatewayMode.ROUTED + "\"}}, then restart berthd");
        }
        return List.of("docker network rm " + n.name(), "docker network create --ipv6 --subnet " + subnet + " -o "
                + PredefinedNetworks.OPT_GATEWAY_MODE_IPV6 + "=" + GatewayMode.ROUTED + " " + n.name());
    }
}
