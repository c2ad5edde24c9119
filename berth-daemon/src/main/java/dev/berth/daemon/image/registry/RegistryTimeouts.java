package dev.berth.daemon.image.registry;

import java.time.Duration;

/**
 * How long things may take.
 *
 * @param headers  a request, until its response headers arrive
 * @param tlsProbe the HTTPS try of a loopback registry, before plain HTTP
 * @param stall    a blob body without a single byte arriving
 */
public record RegistryTimeouts(Duration headers, Duration tlsProbe, Duration stall) {
    /** The daemon's: 2 min for headers, 3 s for the TLS try, 60 s of silence in a blob. */
    public static RegistryTimeouts standard() {
        return new RegistryTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(3), Duration.ofSeconds(60));
    }
}
