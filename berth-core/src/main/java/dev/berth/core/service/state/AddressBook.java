package dev.berth.core.service.state;

import dev.berth.core.ipam.AddressPool;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The taken addresses of every network, one {@link AddressPool} per pool. Nothing of it is stored:
 * like Docker's built-in IPAM it is rebuilt at start-up from the stored networks (gateways and
 * auxiliary addresses) and endpoints. Not thread-safe: callers run inside {@code ServiceState.write}.
 */
public final class AddressBook {
    private final Map<NetworkId, List<AddressPool>> pools = new HashMap<>();

    /** Adds a network's pools with its gateways and auxiliary addresses taken. */
    public void addNetwork(Network network) {
        List<AddressPool> out = new ArrayList<>();
        for (IpamPool pool : network.ipam().pools()) {
            AddressPool addresses = new AddressPool(pool.subnet(), pool.ipRange());
            pool.gateway().ifPresent(addresses::reserveQuietly);
            pool.auxAddresses().values().forEach(addresses::reserveQuietly);
            out.add(addresses);
        }
        pools.put(network.id(), out);
    }

    public void removeNetwork(NetworkId id) {
        pools.remove(id);
    }

    /** Start-up replay: an endpoint's addresses are taken again, whatever else holds them. */
    public void restore(Endpoint endpoint) {
        for (IpPrefix address : endpoint.addresses()) {
            hold(endpoint.networkId(), address.address());
        }
    }

    /** Takes one address of a network, whatever else holds it; one outside its pools is ignored. */
    public void hold(NetworkId network, InetAddress address) {
        pool(network, address instanceof Inet4Address).ifPresent(p -> p.reserveQuietly(address));
    }

    /** Gives one address back; unknown networks and addresses are ignored. */
    public void release(NetworkId network, InetAddress address) {
        pool(network, address instanceof Inet4Address).ifPresent(p -> p.release(address));
    }

    /** The pool of one family of a network, if the network has one. */
    public Optional<AddressPool> pool(NetworkId network, boolean ipv4) {
        return pools.getOrDefault(network, List.of()).stream()
                .filter(p -> p.subnet().isIpv4() == ipv4)
                .findFirst();
    }

    /** Whether some pool of the network contains the address. */
    public boolean contains(NetworkId network, InetAddress address) {
        return pool(network, address instanceof Inet4Address).map(p -> p.subnet().contains(address)).orElse(false);
    }

    /** Gives an endpoint's addresses back; unknown networks and addresses are ignored. */
    public void release(Endpoint endpoint) {
        for (IpPrefix address : endpoint.addresses()) {
            release(endpoint.networkId(), address.address());
        }
    }
}
