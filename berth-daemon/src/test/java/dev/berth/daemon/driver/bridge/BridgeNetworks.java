package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The bridge network the driver's tests use: {@code n}, id {@link #ID}, so its default bridge is {@link #BRIDGE}. */
final class BridgeNetworks {
    static final String ID = "0123456789ab" + "c".repeat(52);
    static final String BRIDGE = "br-0123456789ab";

    private BridgeNetworks() {
    }

    /** Network {@code n} with these driver options, flags and pools. */
    static Network network(Map<String, String> options, Network.Flags flags, IpamPool... pools) {
        return new Network(new NetworkId(ID), "n", PredefinedNetworks.DRIVER_BRIDGE, Instant.EPOCH,
                Network.SCOPE_LOCAL, new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, List.of(pools)), flags,
                new TreeMap<>(options), new TreeMap<>());
    }

    /** An IPv4-only network {@code n} without pools. */
    static Network network(Map<String, String> options) {
        return network(options, Network.Flags.ipv4Only());
    }

    static IpamPool pool(String subnet, String gateway) {
        return IpamPool.of(IpPrefix.parse(subnet), IpAddresses.parse(gateway));
    }
}
