package dev.berth.core.service.state;

import dev.berth.core.service.event.EventLog;
import dev.berth.core.spi.Firewall;
import dev.berth.core.spi.HostPrefixes;
import dev.berth.core.spi.NdpProxy;
import dev.berth.core.spi.NetworkDriver;
import dev.berth.core.spi.StateStore;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What the services work with ({@link ServiceState} holds it): the ports and the sources of time and
 * randomness.
 *
 * @param store        durable desired state
 * @param drivers      one per driver name ({@code bridge}, {@code host}, {@code null})
 * @param firewall     filtering and NAT of the networks
 * @param hostPrefixes the host's prefixes automatic subnets avoid
 * @param ndpProxy     the host's NDP proxy entries and switches (routed IPv6 inside an on-link prefix)
 * @param events       where network events go
 * @param clock        creation times, event times and prune's {@code until}
 * @param random       network ids
 */
public record ServiceDependencies(StateStore store, List<NetworkDriver> drivers, Firewall firewall,
                                  HostPrefixes hostPrefixes, NdpProxy ndpProxy,
                                  EventLog events, Clock clock, RandomGenerator random) {
    public ServiceDependencies {
        Objects.requireNonNull(store, "store");
        drivers = List.copyOf(drivers);
        Objects.requireNonNull(firewall, "firewall");
        Objects.requireNonNull(hostPrefixes, "hostPrefixes");
        Objects.requireNonNull(ndpProxy, "ndpProxy");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
    }

    /** On a host without an NDP proxy ({@link NdpProxy#none()}): for tests. */
    public ServiceDependencies(StateStore store, List<NetworkDriver> drivers, Firewall firewall,
                               HostPrefixes hostPrefixes, EventLog events, Clock clock, RandomGenerator random) {
        this(store, drivers, firewall, hostPrefixes, NdpProxy.none(), events, clock, random);
    }
}
