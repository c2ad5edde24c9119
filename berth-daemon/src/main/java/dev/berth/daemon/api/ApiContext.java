package dev.berth.daemon.api;

import dev.berth.core.service.EventLog;
import dev.berth.core.service.NetworkService;
import dev.berth.core.service.SandboxService;
import java.time.Clock;

/**
 * What the HTTP handlers need from the rest of the daemon. Grows as routes are added.
 *
 * @param networks  network use cases
 * @param sandboxes sandbox (container) use cases
 * @param events   the event log {@code /events} streams from
 * @param clock    "now" for {@code since}/{@code until} of {@code /events}
 * @param system   facts reported by {@code /version} and {@code /info}
 */
public record ApiContext(NetworkService networks, SandboxService sandboxes, EventLog events, Clock clock,
                         SystemInfo system) {

    /** With the network service's own event log and the system clock. */
    public ApiContext(NetworkService networks, SandboxService sandboxes, SystemInfo system) {
        this(networks, sandboxes, networks.events(), Clock.systemUTC(), system);
    }
}
