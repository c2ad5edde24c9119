package dev.berth.core.spi;

import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Turns a network's desired state into kernel objects. Every verb is idempotent. The endpoint
 * verbs default to doing nothing: drivers whose endpoints have no interface ({@code host},
 * {@code null}) keep them.
 */
public interface NetworkDriver {

    /** The driver name users give ({@code bridge}, {@code host}, {@code null}). */
    String name();

    /**
     * Refuses, before anything is stored or built, a network this host cannot have: for the bridge
     * driver, a device of another kind that already has the bridge's name. Reads only.
     */
    default void check(Network network) {
    }

    /**
     * For a driver whose networks span hosts ({@code overlay}): reserves the planned network in the
     * cluster store (its name, subnets and VXLAN id, each by compare-and-swap, so two hosts never
     * hold the same) and returns it as stored there (the driver may complete its options). Throws
     * {@code ConflictException} when another host holds one of them and {@code UnavailableException}
     * when the store cannot be reached; then nothing is reserved. {@link #delete} gives it back.
     */
    default Network claim(Network network) {
        return network;
    }

    /**
     * For a driver whose networks span hosts: the prefix the automatic IPv6 subnets of its networks
     * are cut from (in /64s, each reserved by {@link #claim} like any subnet), the same on every host
     * (for {@code overlay}, the cluster's ULA /48). Empty: its networks need their IPv6 subnet
     * given. Throws {@code UnavailableException} when the store that holds it cannot be reached.
     */
    default Optional<IpPrefix> ipv6Pool() {
        return Optional.empty();
    }

    /**
     * Refuses the removal of a network that is still in use where this host cannot see it (an
     * overlay network with endpoints on other hosts). Reads only.
     */
    default void checkRemove(Network network) {
    }

    /**
     * Creates what is missing and repairs what differs (device, addresses, MTU, link state);
     * a second call with the same network changes nothing.
     */
    void ensure(Network network);

    /** Removes the network's kernel objects; succeeds when they are already gone. */
    void delete(Network network);

    /** Gives the sandbox its interface on the network: link, addresses, link up (no default route). */
    default void join(EndpointJoin join) {
    }

    /**
     * Takes the endpoint out of the sandbox at once (its routes go, traffic stops); the kernel
     * objects may be removed later, off the caller's path. Succeeds when they are already gone.
     */
    default void leave(EndpointJoin join) {
    }

    /**
     * Gives the endpoint's interface exactly the endpoint's addresses after a reload changed them in
     * place ({@code Change.EndpointReaddressed}): IPv6 is turned on for an IPv6 address and off
     * (its addresses and routes with it) for none. The default route is {@link #defaultRoute}'s.
     */
    default void readdress(EndpointJoin join) {
    }

    /**
     * Makes ({@code on}) this endpoint's network gateway the sandbox's default route of one family,
     * replacing any other, or removes the family's default routes out of the endpoint's interface
     * (whatever router they go through: the network may have lost or moved it).
     */
    default void defaultRoute(EndpointJoin join, boolean ipv6, boolean on) {
    }

    /**
     * Start-up and reconcile: verifies every one of these (stored) endpoints and repairs it in place,
     * or re-creates it when it is missing or half-made; removes interfaces on this driver's networks
     * that belong to no endpoint (left by a crash). An endpoint that cannot be restored does not stop
     * the others: it is returned with its cause.
     */
    default List<EndpointFailure> restore(Collection<Network> networks, Collection<EndpointJoin> joins) {
        return List.of();
    }

    /**
     * A cheap look (no namespace switch; for the bridge driver one link dump and one address dump
     * of the host namespace) at whether these networks' and endpoints' kernel objects are still as
     * {@link #ensure} and {@link #restore} left them. Empty when nothing differs.
     */
    default List<KernelDrift> drift(Collection<Network> networks, Collection<EndpointJoin> joins) {
        return List.of();
    }
}
