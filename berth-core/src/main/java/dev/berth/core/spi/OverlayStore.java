package dev.berth.core.spi;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.RemoteEndpoint;
import dev.berth.core.model.Sandbox;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The cluster store as the overlay driver needs it: cluster-wide reservations (each one a
 * compare-and-swap, so two hosts never hold the same name, subnet, VXLAN id or address) and what
 * it knows of the other hosts' endpoints. Calls that reach the store throw
 * {@code UnavailableException} (503) when it cannot be reached, with nothing reserved.
 */
public interface OverlayStore {

    /** This host's address on the underlay: the local end of every VXLAN tunnel. */
    InetAddress vtep();

    /**
     * The cluster's ULA /48, which automatic IPv6 subnets of overlay networks are cut from: made
     * (random, as RFC 4193 has it) by the first host that joins and the same for every host after.
     * Empty if the store holds no usable one. {@code UnavailableException} while not joined.
     */
    Optional<IpPrefix> ipv6Pool();

    /**
     * Reserves a planned global network: its name, its subnets and a VXLAN id (the one its
     * {@code vxlanid_list} option asks for, else the lowest free from 4097), and stores it. Returns
     * it with the VXLAN id in its options. {@code ConflictException} when another host holds one.
     */
    Network claim(Network planned);

    /** Gives back what {@link #claim} took, if it is still this network's (idempotent). */
    void release(Network network);

    /**
     * Announces an endpoint of this host, taking its addresses cluster-wide: {@code
     * ConflictException} ("Address already in use") when another host holds one.
     */
    void claimEndpoint(Network network, Sandbox sandbox, Endpoint endpoint);

    /** Withdraws an endpoint of this host (idempotent). */
    void releaseEndpoint(Network network, Endpoint endpoint);

    /** The other hosts' endpoints on a network, as last seen. */
    List<RemoteEndpoint> remoteEndpoints(NetworkId network);
}
