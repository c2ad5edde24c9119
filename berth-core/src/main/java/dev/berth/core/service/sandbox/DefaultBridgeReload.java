package dev.berth.core.service.sandbox;

import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.network.DefaultBridgeChange;
import dev.berth.core.service.network.NetworkSettings;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.NetworkDriver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies new network settings to the running daemon (a reload: the default bridge, and
 * {@code default-network-opts} for networks created from now on), under the write lock, so no
 * connect sees half of it: {@link NetworkService#reconfigure} checks, stores and updates
 * memory first; then the kernel follows the store: the bridge device (its gateway addresses), the
 * firewall table (rebuilt whole, atomically: the bridge's subnets, {@code icc}, masquerade), every
 * re-addressed endpoint's interface, and the default routes and published ports of the bridge's
 * sandboxes, and the NDP proxy entries. A kernel step that fails is logged and reported, and the others go on: the store has
 * the wanted state, which the next start converges to. Then {@link Change.EndpointReaddressed} per
 * endpoint (the DNS table, a running process's {@code /etc/hosts}).
 */
final class DefaultBridgeReload {
    private static final System.Logger LOG = System.getLogger(DefaultBridgeReload.class.getName());

    /** What this needs from {@link SandboxService}. */
    record Parts(NetworkService networks, DefaultRoutes routes, PortPublisher ports) {
    }

    private final ServiceState state;
    private final Parts parts;

    DefaultBridgeReload(ServiceState state, Parts parts) {
        this.state = state;
        this.parts = parts;
    }

    DefaultBridgeReconfigured run(NetworkSettings settings) {
        state.requireWriting();
        DefaultBridgeChange change = parts.networks().reconfigure(settings);
        if (!change.changed()) {
            return new DefaultBridgeReconfigured(change, List.of());
        }
        List<String> failed = new ArrayList<>();
        Network bridge = change.after();
        NetworkDriver driver = state.driver(bridge.driver());
        attempt(failed, "network " + bridge.name() + ": bridge not updated", () -> driver.ensure(bridge));
        attempt(failed, "firewall not updated", () -> state.dependencies().firewall()
                .rebuild(state.networks().values(), state.publishedPorts()));
        Map<Sandbox, DefaultBridgeChange.Readdressed> readdressed = new LinkedHashMap<>();
        for (DefaultBridgeChange.Readdressed r : change.readdressed()) {
            sandbox(r).ifPresent(s -> {
                readdressed.put(s, r);
                attempt(failed, "sandbox " + describe(s) + ": addresses on " + bridge.name() + " not updated",
                        () -> driver.readdress(new EndpointJoin(bridge, s, r.after())));
            });
        }
        if (change.addressingChanged()) {
            for (var endpoint : state.attachments().endpointsOf(bridge.id())) {
                state.attachments().sandbox(endpoint.sandboxId()).ifPresent(s -> {
                    attempt(failed, "sandbox " + describe(s) + ": default routes not updated",
                            () -> parts.routes().refresh(s));
                    if (!s.ports().isEmpty()) {
                        attempt(failed, "sandbox " + describe(s) + ": published ports not updated",
                                () -> parts.ports().update(s));
                    }
                });
            }
        }
        // The bridge's NDP proxy entries follow its new addresses and gateway mode now, not at the next
        // reconcile pass; this also reads the host's prefixes afresh for the connects that follow.
        failed.addAll(parts.networks().ndpProxies().converge());
        readdressed.forEach((s, r) -> state.publish(new Change.EndpointReaddressed(bridge, s, r.before(), r.after())));
        return new DefaultBridgeReconfigured(change, failed);
    }

    private Optional<Sandbox> sandbox(DefaultBridgeChange.Readdressed r) {
        return state.attachments().sandbox(r.after().sandboxId());
    }

    private static void attempt(List<String> failed, String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            String line = what + ": " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, line + " (the store has the new state; the next start converges it)", e);
            failed.add(line);
        }
    }

    private static String describe(Sandbox s) {
        return s.name() + " (" + s.id().shortId() + ")";
    }
}
