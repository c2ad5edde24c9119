package dev.berth.daemon.firewall.nft;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.berth.core.model.Network;
import dev.berth.kernel.nftables.NftScript;
import dev.berth.kernel.nftables.NftSet;

/**
 * Pure rendering of every firewall change into one nft script (one transaction): no state, no
 * I/O, so each change can be checked against a golden file before anything touches the kernel.
 */
final class BerthRuleset {
    private BerthRuleset() {}

    /** The whole table for these networks and published ports; the user chain is kept. */
    static NftScript rebuild(Collection<NetworkElements> networks, Collection<PortElements> ports) {
        NftScript script = BerthTable.skeleton();
        for (NetworkElements n : networks) {
            addAll(script, n.present());
        }
        for (PortElements p : ports) {
            addAll(script, p.elements());
        }
        return script;
    }

    /** Adds a network's elements and removes those its flags exclude (a refresh). */
    static NftScript ensureNetwork(NetworkElements network) {
        NftScript script = new NftScript();
        network.absent().forEach(script::deleteElementsIfPresent);
        addAll(script, network.present());
        return script;
    }

    /** Removes every element the network could have; succeeds when they are gone already. */
    static NftScript removeNetwork(NetworkElements network) {
        NftScript script = new NftScript();
        network.all().forEach(script::deleteElementsIfPresent);
        return script;
    }

    /** Replaces {@code before} (what the key published) with {@code after}, touching only the difference. */
    static NftScript publish(PortElements before, PortElements after) {
        NftScript script = new NftScript();
        before.minus(after).elements().forEach(script::deleteElementsIfPresent);
        addAll(script, after.minus(before).elements());
        return script;
    }

    static NftScript unpublish(PortElements before) {
        return publish(before, PortElements.NONE);
    }

    private static void addAll(NftScript script, Map<NftSet, List<String>> elements) {
        elements.forEach(script::addElements);
    }

    /** Networks this firewall handles, read and validated. */
    static List<NetworkElements> read(Collection<Network> networks) {
        return networks.stream().filter(NetworkElements::applies).map(NetworkElements::of).toList();
    }
}
