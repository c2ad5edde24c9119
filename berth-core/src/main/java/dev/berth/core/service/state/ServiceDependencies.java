package dev.berth.core.service.state;

import dev.berth.core.service.event.EventLog;
import dev.berth.core.spi.Firewall;
import dev.berth.core.spi.HostPrefixes;
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
 * @param events       where network events go
 * @param clock        creation times, event times and prune's {@code until}
 * @param random       network ids
 */
public record ServiceDependencies(StateStore store, List<NetworkDriver> drivers, Firewall firewall,
                                  HostPrefixes hostPrefixes,
                                  EventLog events, Clock clock, RandomGenerator random) {
    public ServiceDependencies {
        Objects.requireNonNull(store, "store");
        drivers = List.copyOf(drivers);
        Objects.requireNonNull(firewall, "firewall");
        Objects.requireNonNull(hostPrefixes, "hostPrefixes");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
    }
}
