package dev.berth.daemon.doctor;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import java.util.List;

/**
 * {@code ipv6-bridge-room}: IPv6 is on for the default bridge but sandboxes on it have no IPv6
 * address. That happens only when the daemon started with an IPv6 range too small for the
 * sandboxes it found (start-up does not refuse them: the last made run without IPv6 on the
 * bridge); a wider range, reloaded, gives them addresses.
 */
final class BridgeIpv6RoomCheck implements Check {
    static final String ID = "ipv6-bridge-room";

    @Override
    public List<Finding> run(HostView host) {
        Desired desired = host.desired();
        Network bridge = desired.bridges().stream().filter(n -> n.name().equals(PredefinedNetworks.BRIDGE))
                .findFirst().orElse(null);
        if (bridge == null || !bridge.flags().enableIpv6()) {
            return List.of();
        }
        List<String> without = desired.endpointsOf(bridge).stream().filter(e -> e.ipv6() == null)
                .map(Endpoint::sandboxId).map(id -> id.shortId()).sorted().toList();
        String range = bridge.ipam().pools().stream().filter(p -> !p.isIpv4()).findFirst()
                .map(p -> p.ipRange().orElse(p.subnet()).masked().toString()).orElse("?");
        if (without.isEmpty()) {
            return List.of(Finding.ok(ID, PredefinedNetworks.BRIDGE, "every sandbox on the default bridge has an IPv6"
                    + " address in " + range));
        }
        String who = without.size() == 1 ? "1 sandbox on the default bridge has"
                : without.size() + " sandboxes on the default bridge have";
        return List.of(new Finding(ID, Severity.WARNING, PredefinedNetworks.BRIDGE, who + " no IPv6 address: the range "
                + range + " has no room (" + String.join(", ", without) + ")",
                "The daemon started with an IPv6 range too small for the sandboxes already on the default bridge; it "
                        + "did not refuse to start, and the last sandboxes made run without IPv6 (no address, no IPv6 "
                        + "default route) until the range has room.",
                List.of("# in daemon.json give the default bridge a wider \"fixed-cidr-v6\" (or \"bip6\"), e.g. a /80,"
                        + " then reload berthd (systemctl reload, or SIGHUP; its pid is in <exec-root>/berthd.pid):",
                        "kill -HUP \"$(cat /run/berth/berthd.pid)\"")));
    }
}
