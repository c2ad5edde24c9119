package dev.berth.core.spi;

import dev.berth.core.model.Network;
import dev.berth.core.model.PortBinding;
import java.util.Collection;
import java.util.List;

/**
 * Packet filtering and NAT for bridge networks, kept in one table that Berth owns. Every method
 * is one atomic change; all are idempotent.
 */
public interface Firewall {

    /**
     * Replaces the whole table with what these networks and bindings need (start-up and
     * reconcile); the user chain is created if missing and never flushed.
     */
    void rebuild(Collection<Network> networks, Collection<SandboxPorts> published);

    /**
     * What differs between the table in the kernel and what was last applied (table, chains or
     * rules gone, a set emptied), found by one cheap listing; empty when nothing does. A
     * {@link #rebuild} repairs it.
     */
    default List<KernelDrift> drift() {
        return List.of();
    }

    /**
     * The elements these networks and published ports need that the table lacks (a bridge missing
     * from the set of bridges, a subnet from the masquerade set, a published port from its map),
     * one {@link KernelDrift} each. Slower than {@link #drift()} (a lookup per set, more when one
     * is missing), so the reconcile loop does not ask it; {@code berth doctor} does. A
     * {@link #rebuild} repairs it.
     */
    default List<KernelDrift> missingElements(Collection<Network> networks, Collection<SandboxPorts> published) {
        return List.of();
    }

    /** Adds or refreshes one network's rules: masquerade, isolation, icc, internal. */
    void ensureNetwork(Network network);

    /** Removes exactly one network's rules; succeeds when they are already gone. */
    void removeNetwork(Network network);

    /** Publishes a sandbox's ports on one network, replacing what that key published before. */
    void publish(SandboxPorts ports);

    /** Withdraws every port published under the key; succeeds when none are. */
    void unpublish(String key);

    /**
     * The ports one sandbox publishes through one network.
     *
     * @param key      unique per sandbox and network (e.g. endpoint id)
     * @param network  the network the sandbox address belongs to
     * @param bindings the bindings
     */
    record SandboxPorts(String key, Network network, List<PortBinding> bindings) {
        public SandboxPorts {
            bindings = List.copyOf(bindings);
        }
    }
}
