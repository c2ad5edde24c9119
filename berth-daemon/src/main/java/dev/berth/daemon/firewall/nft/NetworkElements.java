package dev.berth.daemon.firewall.nft;

import static dev.berth.daemon.firewall.nft.BerthTable.BRIDGES;
import static dev.berth.daemon.firewall.nft.BerthTable.INTERNAL;
import static dev.berth.daemon.firewall.nft.BerthTable.MASQ4;
import static dev.berth.daemon.firewall.nft.BerthTable.MASQ6;
import static dev.berth.daemon.firewall.nft.BerthTable.NETS4;
import static dev.berth.daemon.firewall.nft.BerthTable.NETS6;
import static dev.berth.daemon.firewall.nft.BerthTable.NO_ICC;
import static dev.berth.daemon.firewall.nft.BerthTable.ROUTED4;
import static dev.berth.daemon.firewall.nft.BerthTable.ROUTED6;
import static dev.berth.daemon.firewall.nft.BerthTable.SAME_BRIDGE;
import static dev.berth.daemon.firewall.nft.BerthTable.UNPROTECTED4;
import static dev.berth.daemon.firewall.nft.BerthTable.UNPROTECTED6;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.kernel.nftables.NftSet;
import dev.berth.kernel.nftables.NftText;

/**
 * What one bridge network contributes to the sets of {@link BerthTable}: its bridge in
 * {@code bridges} and {@code same_bridge}, optionally in {@code no_icc} / {@code internal}, in the
 * {@code routed} or {@code unprotected} set of each family by its gateway mode, and its subnets in
 * the masquerade (families in a nat mode) and hairpin sets. Each set gets a handful of elements,
 * whatever the number of other networks.
 *
 * @param bridge     the bridge device
 * @param icc        {@code enable_icc}: sandboxes on the bridge may talk to each other
 * @param internal   no traffic in or out of the bridge except bridge-local
 * @param masquerade {@code enable_ip_masquerade} and not internal
 * @param subnets    the network's subnets, v4 and v6
 * @param mode4      the IPv4 gateway mode
 * @param mode6      the IPv6 gateway mode
 */
record NetworkElements(String bridge, boolean icc, boolean internal, boolean masquerade, List<IpPrefix> subnets,
                       GatewayMode mode4, GatewayMode mode6) {

    NetworkElements {
        subnets = List.copyOf(subnets);
    }

    /** True for the networks this firewall handles: a bridge of this host (bridge and overlay drivers), not config-only. */
    static boolean applies(Network network) {
        return network.isBridged() && !network.flags().configOnly();
    }

    /** Reads a bridge network; InvalidParameterException for an unusable name or option. */
    static NetworkElements of(Network network) {
        String bridge = DeviceNames.bridgeName(network);
        if (!NftText.isQuotable(bridge) || bridge.length() > 15) {
            throw new InvalidParameterException("network " + network.name() + ": bridge name " + bridge
                    + " cannot be used in firewall rules");
        }
        boolean internal = network.flags().internal();
        BridgeOptions options = BridgeOptions.of(network);
        boolean icc = options.icc();
        boolean masquerade = options.ipMasquerade() && !internal;
        List<IpPrefix> subnets = network.ipam().pools().stream().map(IpamPool::subnet).map(IpPrefix::masked).toList();
        return new NetworkElements(bridge, icc, internal, masquerade, subnets, options.gatewayModeIpv4(),
                options.gatewayModeIpv6());
    }

    /** The elements to add, per set (empty lists for sets it has nothing in). */
    Map<NftSet, List<String>> present() {
        return split(true);
    }

    /** Elements of this bridge that must not be there, e.g. {@code no_icc} when icc is on. */
    Map<NftSet, List<String>> absent() {
        return split(false);
    }

    /** Every element this network could have, for removal. */
    Map<NftSet, List<String>> all() {
        Map<NftSet, List<String>> all = new LinkedHashMap<>(present());
        absent().forEach((set, elements) -> all.merge(set, elements, (a, b) -> {
            List<String> merged = new ArrayList<>(a);
            merged.addAll(b);
            return merged;
        }));
        return all;
    }

    private Map<NftSet, List<String>> split(boolean wanted) {
        String name = NftText.quoted(bridge);
        String pair = NftText.concat(name, name);
        Map<NftSet, List<String>> out = new LinkedHashMap<>();
        put(out, BRIDGES, wanted, true, List.of(name));
        put(out, SAME_BRIDGE, wanted, true, List.of(pair));
        put(out, NO_ICC, wanted, !icc, List.of(pair));
        put(out, INTERNAL, wanted, internal, List.of(name));
        put(out, MASQ4, wanted, masquerade && mode4.nat(), texts(v4()));
        put(out, MASQ6, wanted, masquerade && mode6.nat(), texts(v6()));
        put(out, NETS4, wanted, !internal, texts(v4()));
        put(out, NETS6, wanted, !internal, texts(v6()));
        put(out, ROUTED4, wanted, opens(false, GatewayMode.ROUTED), List.of(name));
        put(out, ROUTED6, wanted, opens(true, GatewayMode.ROUTED), List.of(name));
        put(out, UNPROTECTED4, wanted, opens(false, GatewayMode.NAT_UNPROTECTED), List.of(name));
        put(out, UNPROTECTED6, wanted, opens(true, GatewayMode.NAT_UNPROTECTED), List.of(name));
        return out;
    }

    /** The gateway mode of a family. */
    GatewayMode mode(boolean v6) {
        return v6 ? mode6 : mode4;
    }

    /** Whether the family is in {@code mode} and has a subnet on a network traffic may enter. */
    private boolean opens(boolean v6, GatewayMode mode) {
        return !internal && mode(v6) == mode && !(v6 ? v6() : v4()).isEmpty();
    }

    private static void put(Map<NftSet, List<String>> out, NftSet set, boolean wanted, boolean has, List<String> elements) {
        out.put(set, wanted == has ? elements : List.of());
    }

    List<IpPrefix> v4() {
        return subnets.stream().filter(IpPrefix::isIpv4).toList();
    }

    List<IpPrefix> v6() {
        return subnets.stream().filter(p -> !p.isIpv4()).toList();
    }

    private static List<String> texts(List<IpPrefix> prefixes) {
        return prefixes.stream().map(IpPrefix::toString).toList();
    }
}
