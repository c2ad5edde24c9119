package dev.berth.daemon.firewall.nft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * another value is not seen. A set that cannot be listed at all is left to {@link TableDrift},
 * which reports it.
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
            if (keys.isEmpty() || has(set, keys.keySet()) || !listable(set)) {
                return;
            }
            keys.forEach((key, network) -> {
                if (!has(set, List.of(key))) {
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
