package dev.berth.daemon.api;

import dev.berth.core.service.NetworkService;

/**
 * What the HTTP handlers need from the rest of the daemon. Grows as routes are added (events,
 * sandboxes).
 *
 * @param networks network use cases
 * @param system   facts reported by {@code /version} and {@code /info}
 */
public record ApiContext(NetworkService networks, SystemInfo system) {
}
