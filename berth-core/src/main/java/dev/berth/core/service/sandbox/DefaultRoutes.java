package dev.berth.core.service.sandbox;

import dev.berth.core.model.EndpointId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.state.Attachment;
import dev.berth.core.service.state.GatewayChoice;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.EndpointJoin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Keeps each sandbox's default routes on the endpoints {@link GatewayChoice} picks, telling the
 * drivers only what changed. Callers run inside {@code ServiceState.write}.
 */
final class DefaultRoutes {
    private static final System.Logger LOG = System.getLogger(DefaultRoutes.class.getName());

    private final ServiceState state;
    private final Function<Sandbox, List<Attachment>> attachmentsOf;
    private final Map<SandboxId, GatewayChoice> chosen = new HashMap<>();

    DefaultRoutes(ServiceState state, Function<Sandbox, List<Attachment>> attachmentsOf) {
        this.state = state;
        this.attachmentsOf = attachmentsOf;
    }

    /** Forgets every choice: the next update sets every family afresh (start-up). */
    void reset() {
        chosen.clear();
    }

    void forget(SandboxId id) {
        chosen.remove(id);
    }

    /**
     * Moves the sandbox's default routes to the endpoints {@link GatewayChoice} picks now. A family
     * whose choice changed gets the new route (which replaces the old); one left without a choice
     * has the old route removed, if its endpoint is still there (a leaving endpoint takes its
     * routes with it).
     */
    void update(Sandbox sandbox) {
        update(sandbox, false);
    }

    /**
     * {@link #update} that also sets again a family whose endpoint stayed: a reload may have moved
     * its network's router ({@code bip6}, {@code default-gateway-v6}); the driver leaves a route
     * that is already right alone.
     */
    void refresh(Sandbox sandbox) {
        update(sandbox, true);
    }

    private void update(Sandbox sandbox, boolean again) {
        List<Attachment> current = attachmentsOf.apply(sandbox);
        GatewayChoice before = chosen.getOrDefault(sandbox.id(), GatewayChoice.NONE);
        GatewayChoice after = GatewayChoice.of(current);
        for (boolean v6 : new boolean[] {false, true}) {
            EndpointId was = before.family(v6);
            EndpointId now = after.family(v6);
            if (Objects.equals(was, now) && !(again && now != null)) {
                continue;
            }
            if (now != null) {
                Attachment a = find(current, now);
                state.driver(a.network().driver()).defaultRoute(join(a), v6, true);
            } else if (was != null) {
                for (Attachment a : current) {
                    if (a.endpoint().id().equals(was)) {
                        state.driver(a.network().driver()).defaultRoute(join(a), v6, false);
                    }
                }
            }
        }
        chosen.put(sandbox.id(), after);
    }

    void updateQuietly(Sandbox sandbox) {
        try {
            update(sandbox);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "move default route of " + sandbox.name() + ": " + e.getMessage(), e);
        }
    }

    /** After a failed connect: the routes as the remaining endpoints want them, whatever was there. */
    void restore(Sandbox sandbox, RuntimeException failure) {
        chosen.remove(sandbox.id());
        try {
            update(sandbox);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static Attachment find(List<Attachment> attachments, EndpointId id) {
        return attachments.stream().filter(a -> a.endpoint().id().equals(id)).findFirst().orElseThrow();
    }

    private static EndpointJoin join(Attachment a) {
        return new EndpointJoin(a.network(), a.sandbox(), a.endpoint());
    }
}
