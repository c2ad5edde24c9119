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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps each sandbox's published ports in the firewall, on one endpoint: the one that supplies
 * its IPv4 default route (else its IPv6 one), as {@link GatewayChoice} picks it. One endpoint
 * only, because a host address and port can lead to one place; and like Docker, ports follow the
 * default gateway, so an internal network never publishes. The firewall key is the endpoint id.
 * Callers run inside {@code ServiceState.write}.
 */
final class PortPublisher {
    private static final System.Logger LOG = System.getLogger(PortPublisher.class.getName());

    private final Firewall firewall;
    private final Function<Sandbox, List<Attachment>> attachmentsOf;
    private final Map<SandboxId, EndpointId> publishing = new HashMap<>();

    PortPublisher(Firewall firewall, Function<Sandbox, List<Attachment>> attachmentsOf) {
        this.firewall = firewall;
        this.attachmentsOf = attachmentsOf;
    }

    /** Forgets what was published (start-up, after the firewall's rebuild). */
    void reset() {
        publishing.clear();
    }

    /** Publishes the sandbox's ports on the endpoint chosen now, withdrawing them from the one before. */
    void update(Sandbox sandbox) {
        Optional<SandboxPorts> now = PublishedPorts.of(sandbox, attachmentsOf.apply(sandbox));
        EndpointId was = publishing.get(sandbox.id());
        EndpointId is = now.map(p -> new EndpointId(p.key())).orElse(null);
        if (was != null && !was.equals(is)) {
            firewall.unpublish(was.value());
            publishing.remove(sandbox.id());
        }
        if (now.isPresent()) {
            firewall.publish(now.get());
            publishing.put(sandbox.id(), is);
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
        EndpointId was = publishing.remove(sandbox.id());
        if (was != null) {
            firewall.unpublish(was.value());
        }
    }
}
