package dev.berth.core.service.network;

import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/** The networks every daemon has ({@code none}, {@code host}, {@code bridge}) as the configuration wants them. */
final class PredefinedPlan {
    private PredefinedPlan() {
    }

    /** Fresh networks with new ids; {@link #keepIdentity} carries a stored one's id over. */
    static List<Network> networks(DefaultBridgeSettings s, Instant now, RandomGenerator random) {
        Network.Ipam noPools = new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, List.of());
        Map<String, String> options = new TreeMap<>();
        options.put(PredefinedNetworks.OPT_DEFAULT_BRIDGE, "true");
        options.put(PredefinedNetworks.OPT_ENABLE_ICC, Boolean.toString(s.icc()));
        options.put(PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE, Boolean.toString(s.ipMasquerade()));
        options.put(PredefinedNetworks.OPT_HOST_BINDING_IPV4, s.hostBindingIp());
        options.put(PredefinedNetworks.OPT_BRIDGE_NAME, PredefinedNetworks.DEFAULT_BRIDGE_DEVICE);
        options.put(PredefinedNetworks.OPT_MTU, Integer.toString(s.mtu()));
        IpamPool pool = IpamPool.of(s.bip().masked(), s.bip().address());
        Fresh fresh = new Fresh(now, random);
        return List.of(
                fresh.network(PredefinedNetworks.NONE, PredefinedNetworks.DRIVER_NULL, noPools, Map.of()),
                fresh.network(PredefinedNetworks.HOST, PredefinedNetworks.DRIVER_HOST, noPools, Map.of()),
                fresh.network(PredefinedNetworks.BRIDGE, PredefinedNetworks.DRIVER_BRIDGE,
                        new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, List.of(pool)), options));
    }

    /** The wanted network with the stored one's id and creation time: ids stay stable across restarts. */
    static Network keepIdentity(Network wanted, Network old) {
        return new Network(old.id(), wanted.name(), wanted.driver(), old.created(), wanted.scope(),
                wanted.ipam(), wanted.flags(), wanted.options(), wanted.labels());
    }

    /** New networks created now, with random ids. */
    private record Fresh(Instant now, RandomGenerator random) {
        Network network(String name, String driver, Network.Ipam ipam, Map<String, String> options) {
            return new Network(NetworkId.random(random), name, driver, now, Network.SCOPE_LOCAL, ipam,
                    Network.Flags.ipv4Only(), new TreeMap<>(options), new TreeMap<>());
        }
    }
}
