package dev.berth.daemon.firewall.nft;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.spi.Firewall.SandboxPorts;
import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.nftables.NftException;
import dev.berth.kernel.nftables.NftScript;
import dev.berth.kernel.nftables.NftScriptRunner;
import dev.berth.kernel.nftables.NftSet;
import dev.berth.kernel.nftables.NftText;

/**
 * Which set and map elements the networks ({@link NetworkElements#present()}) and published
 * ports ({@link PortElements}) need that the table lacks. One {@code get element} per set asks
 * for every key at once (nft fails it when one is missing); only a set whose lookup fails is then
 * asked key by key, to name what is missing. Map elements are looked up by key: a key with
 * another value is not seen. A subnet in an interval set is looked up by its first and last
 * address (covered, as the rules see it): nft 1.0.6 fails {@code get element} of a prefix that is
 * there in some layouts (reproduced for a prefix whose end touches the next interval,
 * {@code 172.17.0.0/16} beside {@code 172.18.0.0/16}; also seen for docker0's lone subnet after a
 * rebuild), while the addresses are always found. A set that
 * cannot be listed at all is left to {@link TableDrift}, which reports it.
 */
final class ElementAudit {
    private final NftScriptRunner nft;

    ElementAudit(NftScriptRunner nft) {
        this.nft = nft;
    }

    List<KernelDrift> missing(Collection<Network> networks, Collection<SandboxPorts> ports) {
        Map<NftSet, Map<String, NetworkId>> wanted = new LinkedHashMap<>();
        for (Network n : networks) {
            if (NetworkElements.applies(n)) {
                want(wanted, NetworkElements.of(n).present(), n.id());
            }
        }
        for (SandboxPorts p : ports) {
            want(wanted, PortElements.of(p).elements(), p.network().id());
        }
        List<KernelDrift> out = new ArrayList<>();
        wanted.forEach((set, keys) -> {
            if (keys.isEmpty() || has(set, probes(set, keys.keySet())) || !listable(set)) {
                return;
            }
            keys.forEach((key, network) -> {
                if (!has(set, probes(set, List.of(key)))) {
                    out.add(new KernelDrift(network, "firewall: element " + key + " missing from "
                            + (set.isMap() ? "map " : "set ") + set.ref()));
                }
            });
        });
        return out;
    }

    private static void want(Map<NftSet, Map<String, NetworkId>> wanted, Map<NftSet, List<String>> elements,
                             NetworkId network) {
        elements.forEach((set, list) -> list.forEach(e ->
                wanted.computeIfAbsent(set, s -> new LinkedHashMap<>()).putIfAbsent(NftText.key(e), network)));
    }

    /** What to look up for these keys: the keys, or for an interval set each subnet's first and last address. */
    private static List<String> probes(NftSet set, Collection<String> keys) {
        if (!set.flags().contains("interval") || set.keyType().contains(".")) {
            return List.copyOf(keys);
        }
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            IpPrefix subnet = IpPrefix.parse(key).masked();
            out.add(IpAddresses.format(subnet.address()));
            out.add(IpAddresses.format(subnet.addressAt(subnet.size().subtract(BigInteger.ONE))));
        }
        return out;
    }

    private boolean has(NftSet set, Collection<String> keys) {
        try {
            nft.query(NftScript.getElements(set, keys));
            return true;
        } catch (NftException e) {
            return false;
        }
    }

    private boolean listable(NftSet set) {
        try {
            nft.query("list " + (set.isMap() ? "map " : "set ") + set.ref());
            return true;
        } catch (NftException e) {
            return false;
        }
    }
}
