package dev.berth.core.service.sandbox;

import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.network.NdpProxies;
import dev.berth.core.service.state.Attachment;
import dev.berth.core.service.state.Attachments;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.EndpointFailure;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.SandboxRuntime;
import dev.berth.core.spi.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Converges the kernel side of every stored sandbox to the store: namespaces, each driver's
 * endpoints (verified, repaired in place or made again, orphans removed), NDP proxy entries
 * (missing ones added, stale ones of Berth's removed), default routes and published ports. The one copy of this logic: start-up and reconcile both call {@link #run()}.
 *
 * <p>A sandbox that cannot be restored (its namespace cannot be made, an endpoint fails) is
 * logged by name and skipped; the others go on, so one broken sandbox never stops a start. Its
 * endpoints stay stored: the next reconcile or start tries again. Callers hold the write lock.
 */
final class KernelRestore {
    private static final System.Logger LOG = System.getLogger(KernelRestore.class.getName());

    /** What {@link KernelRestore} needs from {@link SandboxService}. */
    record Parts(SandboxRuntime runtime, StateStore store, DefaultRoutes routes, PortPublisher ports, NdpProxies ndp,
                 Function<Sandbox, List<Attachment>> attachmentsOf) {
    }

    private final ServiceState state;
    private final Parts parts;

    KernelRestore(ServiceState state, Parts parts) {
        this.state = state;
        this.parts = parts;
    }

    /** Restores everything; returns what could not be, one line each (already logged). */
    List<String> run() {
        state.requireWriting();
        List<String> failed = new ArrayList<>();
        Attachments attachments = state.attachments();
        parts.runtime().deleteOthers(attachments.sandboxes().stream().map(Sandbox::id).toList());
        List<Sandbox> sandboxes = new ArrayList<>();
        for (Sandbox s : attachments.sandboxes()) {
            attempt(failed, "sandbox " + describe(s) + ": cannot make its network namespace",
                    () -> sandboxes.add(ensureNamespace(s)));
        }
        joinsByDriver(sandboxes).forEach((driver, work) -> attempt(failed, "endpoints of driver " + driver, () -> {
            for (EndpointFailure f : state.driver(driver).restore(work.networks(), work.joins())) {
                failed.add(report("sandbox " + describe(f.join().sandbox()) + ": endpoint on network "
                        + f.join().network().name() + " not restored", f.cause()));
            }
        }));
        failed.addAll(parts.ndp().converge());
        parts.routes().reset();
        each(sandboxes, failed, "default routes", parts.routes()::update);
        parts.ports().reset();
        each(sandboxes, failed, "published ports", parts.ports()::update);
        return failed;
    }

    /** The networks and stored endpoints of each driver, as its {@code restore} and {@code drift} take them. */
    record DriverWork(List<Network> networks, List<EndpointJoin> joins) {
    }

    Map<String, DriverWork> joinsByDriver(List<Sandbox> sandboxes) {
        Map<String, DriverWork> out = new HashMap<>();
        for (Network network : byName(state.networks().values())) {
            out.computeIfAbsent(network.driver(), d -> new DriverWork(new ArrayList<>(), new ArrayList<>()))
                    .networks().add(network);
        }
        for (Sandbox sandbox : sandboxes) {
            for (Attachment a : parts.attachmentsOf().apply(sandbox)) {
                DriverWork work = out.get(a.network().driver());
                if (work != null) {
                    work.joins().add(new EndpointJoin(a.network(), a.sandbox(), a.endpoint()));
                }
            }
        }
        return out;
    }

    private static List<Network> byName(Collection<Network> networks) {
        return networks.stream().sorted(Comparator.comparing(Network::name)).toList();
    }

    /** Adopts or re-creates a sandbox's namespace; a new path (the exec root moved) is stored. */
    private Sandbox ensureNamespace(Sandbox s) {
        if (s.isHostMode()) {
            return s;
        }
        String path = parts.runtime().createNamespace(s.id());
        if (path.equals(s.netnsPath())) {
            return s;
        }
        Sandbox moved = s.withNetnsPath(path);
        parts.store().putSandbox(moved);
        state.attachments().putSandbox(moved);
        return moved;
    }

    private static void each(List<Sandbox> sandboxes, List<String> failed, String what, Consumer<Sandbox> step) {
        for (Sandbox s : sandboxes) {
            attempt(failed, "sandbox " + describe(s) + ": " + what + " not restored", () -> step.accept(s));
        }
    }

    private static void attempt(List<String> failed, String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failed.add(report(what, e));
        }
    }

    private static String report(String what, RuntimeException e) {
        String line = what + ": " + e.getMessage();
        LOG.log(System.Logger.Level.ERROR, line + " (the daemon goes on; the next reconcile or start tries again)", e);
        return line;
    }

    private static String describe(Sandbox s) {
        return s.name() + " (" + s.id().shortId() + ")";
    }
}
