package dev.berth.core.spi;

import dev.berth.core.model.NetworkId;
import java.util.Objects;

/**
 * One way the kernel differs from the desired state, as a cheap check found it (a bridge gone, a
 * gateway address missing, a sandbox's veth deleted, the firewall table flushed).
 *
 * @param network     the network concerned, or null when it concerns no single network (the firewall table)
 * @param description what differs, for the log and the {@code reconcile} event, e.g. "bridge br-1a2b3c4d5e6f missing"
 */
public record KernelDrift(NetworkId network, String description) {
    public KernelDrift {
        Objects.requireNonNull(description, "description");
    }
}
