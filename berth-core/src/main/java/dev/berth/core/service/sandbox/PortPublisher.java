package dev.berth.core.service.sandbox;

import dev.berth.core.model.EndpointId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.state.Attachment;
import dev.berth.core.service.state.GatewayChoice;
import dev.berth.core.service.state.PublishedPorts;
import dev.berth.core.spi.Firewall.SandboxPorts;
import dev.berth.core.spi.Firewall;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Keeps each sandbox's published ports in the firewall: on the endpoint that supplies its IPv4
 * default route (else its IPv6 one), as {@link GatewayChoice} picks it, and the routed ones also
 * on its other endpoints ({@link PublishedPorts}). NATed ports go through one endpoint only,
 * because a host address and port can lead to one place; and like Docker, they follow the
 * default gateway, so an internal network never publishes. The firewall key is the endpoint id.
 * Callers run inside {@code ServiceState.write}.
 */
final class PortPublisher {
    private static final System.Logger LOG = System.getLogger(PortPublisher.class.getName());

    private final Firewall firewall;
    private final Function<Sandbox, List<Attachment>> attachmentsOf;
    private final Map<SandboxId, Set<EndpointId>> publishing = new HashMap<>();

    PortPublisher(Firewall firewall, Function<Sandbox, List<Attachment>> attachmentsOf) {
        this.firewall = firewall;
        this.attachmentsOf = attachmentsOf;
    }

    /** Forgets what was published (start-up, after the firewall's rebuild). */
    void reset() {
        publishing.clear();
    }

    /**
     * Publishes the sandbox's ports on the endpoints chosen now, withdrawing them from those that
     * no longer publish. What was done before a failure stays remembered, so the next update
     * withdraws it.
     */
    void update(Sandbox sandbox) {
        List<SandboxPorts> now = PublishedPorts.of(sandbox, attachmentsOf.apply(sandbox));
        Set<EndpointId> is = new LinkedHashSet<>();
        now.forEach(p -> is.add(new EndpointId(p.key())));
        Set<EndpointId> held = new LinkedHashSet<>(publishing.getOrDefault(sandbox.id(), Set.of()));
        try {
            for (EndpointId was : List.copyOf(held)) {
                if (!is.contains(was)) {
                    firewall.unpublish(was.value());
                    held.remove(was);
                }
            }
            for (SandboxPorts ports : now) {
                firewall.publish(ports);
                held.add(new EndpointId(ports.key()));
            }
        } finally {
            if (held.isEmpty()) {
                publishing.remove(sandbox.id());
            } else {
                publishing.put(sandbox.id(), Set.copyOf(held));
            }
        }
    }

    void updateQuietly(Sandbox sandbox) {
        try {
            update(sandbox);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "publish ports of " + sandbox.name() + ": " + e.getMessage(), e);
        }
    }

    /** After a failed connect: the ports as the remaining endpoints want them. */
    void restore(Sandbox sandbox, RuntimeException failure) {
        try {
            update(sandbox);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Withdraws whatever the sandbox still publishes (it is being removed). */
    void forget(Sandbox sandbox) {
        Set<EndpointId> was = publishing.remove(sandbox.id());
        if (was != null) {
            was.forEach(e -> firewall.unpublish(e.value()));
        }
    }
}
