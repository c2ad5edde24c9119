package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares one link dump and one address dump of the host namespace with the bridge networks and
 * their endpoints: each bridge present, a bridge, up, with its MTU and every gateway address; each
 * endpoint's host end present, on that bridge and up. Pure; what it cannot see (inside the
 * sandboxes) start-up's full restore covers. A deleted veth shows here too: deleting either end of
 * a pair deletes both.
 */
final class BridgeDrift {
    private final Map<String, Link> links = new HashMap<>();
    private final Map<Integer, List<Address>> addresses = new HashMap<>();

    BridgeDrift(List<Link> links, List<Address> addresses) {
        links.forEach(l -> this.links.put(l.name(), l));
        addresses.forEach(a -> this.addresses.computeIfAbsent(a.index(), i -> new ArrayList<>()).add(a));
    }

    List<KernelDrift> of(Collection<Network> networks, Collection<EndpointJoin> joins) {
        List<KernelDrift> out = new ArrayList<>();
        Map<String, Integer> bridges = new HashMap<>();
        for (Network n : networks) {
            if (!n.flags().configOnly()) {
                bridge(n, out).ifPresent(index -> bridges.put(DeviceNames.bridgeName(n), index));
            }
        }
        for (EndpointJoin j : joins) {
            Integer bridge = bridges.get(DeviceNames.bridgeName(j.network()));
            if (bridge != null) {
                endpoint(j, bridge, out);
            }
        }
        return out;
    }

    private Optional<Integer> bridge(Network n, List<KernelDrift> out) {
        String name = DeviceNames.bridgeName(n);
        Link link = links.get(name);
        if (link == null || !"bridge".equals(link.kind())) {
            out.add(new KernelDrift(n.id(), "bridge " + name + " missing"));
            return Optional.empty();
        }
        if (!link.up()) {
            out.add(new KernelDrift(n.id(), "bridge " + name + " down"));
        }
        int mtu = BridgeOptions.of(n).effectiveMtu();
        if (link.mtu() != mtu && BridgeOwnership.of(link, n).managesMtu(n)) {
            out.add(new KernelDrift(n.id(), "bridge " + name + " has MTU " + link.mtu() + ", not " + mtu));
        }
        List<Address> present = addresses.getOrDefault(link.index(), List.of());
        for (IpamPool pool : BridgeOptions.of(n).gatewaysOnBridge(n.ipam().pools())) {
            InetAddress gateway = pool.gateway().get();
            int length = pool.subnet().length();
            if (present.stream().noneMatch(a -> a.address().equals(gateway) && a.prefixLength() == length)) {
                out.add(new KernelDrift(n.id(), "gateway " + gateway.getHostAddress() + "/" + length + " missing on " + name));
            }
        }
        return Optional.of(link.index());
    }

    private void endpoint(EndpointJoin j, int bridge, List<KernelDrift> out) {
        String name = j.endpoint().hostIfName();
        Link link = links.get(name);
        String of = " of " + j.sandbox().name() + " (" + j.endpoint().ifName() + ")";
        if (link == null) {
            out.add(new KernelDrift(j.network().id(), "veth " + name + of + " missing"));
        } else if (link.masterIndex() != bridge) {
            out.add(new KernelDrift(j.network().id(), "veth " + name + of + " not on " + DeviceNames.bridgeName(j.network())));
        } else if (!link.up()) {
            out.add(new KernelDrift(j.network().id(), "veth " + name + of + " down"));
        }
    }
}
