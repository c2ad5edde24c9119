package dev.berth.core.service.sandbox;

import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.event.Event;
import dev.berth.core.service.network.NdpProxies;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.KernelDrift;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Detects kernel drift while the daemon runs (a bridge or a sandbox's veth deleted, a gateway
 * address removed, the firewall table flushed) and repairs it with the start-up code: {@link
 * NetworkService#ensureKernel()} then {@link KernelRestore#run()}, never a second copy.
 *
 * <p>{@link #pass()} is cheap when nothing differs: each driver's {@code drift} (for the bridge
 * driver one link dump and one address dump of the host namespace), the NDP proxy's (only with a
 * routed IPv6 network: the host's on-link prefixes, kept for the connects, and one proxy-table dump,
 * see {@code NdpProxies}) and the
 * firewall's (one listing of its table), read without the write lock (see {@link #pass}). On drift it logs what differs, repairs, and emits one event per network
 * concerned: type {@code network}, action {@code reconcile}, actor the network id (empty for the
 * firewall table), attributes {@code name}, {@code type} and {@code repaired} (what differed,
 * {@code "; "}-separated), plus {@code failed} when something could not be repaired. Drift that
 * a repair did not fix is retried at most every {@link #RETRY}, so a broken sandbox does not fill
 * the log every pass.
 */
public final class Reconciler {
    private static final System.Logger LOG = System.getLogger(Reconciler.class.getName());
    /** Unchanged drift that the last repair did not fix waits this long before the next attempt. */
    static final Duration RETRY = Duration.ofSeconds(30);
    /** The event action. */
    public static final Event.Action ACTION = Event.Action.RECONCILE;

    private final ServiceState state;
    private final NetworkService networks;
    private final KernelRestore restore;
    /** Passes in a row whose reading without the lock was inconclusive ({@link #pass}). */
    static final int MAX_INCONCLUSIVE = 5;
    private List<String> unfixed = List.of();
    private long unfixedSince;
    private int inconclusive;

    public Reconciler(ServiceState state, NetworkService networks, SandboxService sandboxes) {
        this.state = state;
        this.networks = networks;
        this.restore = sandboxes.restorer();
    }

    /**
     * One check, and a repair if anything differs; returns the drift found (empty: nothing to do).
     * One caller at a time (the reconcile loop's thread).
     *
     * <p>The kernel is read without the write lock: its dumps take tens of milliseconds at a
     * thousand sandboxes, and connects would wait behind them every pass. Then, under the lock, the
     * NDP proxy's part is compared and the verdict taken. A difference counts only if no change
     * began while the kernel was read (the {@link ServiceState#sequence}); otherwise it may be no
     * more than that change half-seen, and the pass is inconclusive. After
     * {@value #MAX_INCONCLUSIVE} inconclusive passes in a row (changes keep coming), a pass reads
     * under the lock as well, so drift is still found within that many periods.
     */
    public List<KernelDrift> pass() {
        if (inconclusive < MAX_INCONCLUSIVE) {
            long before = state.sequence();
            Optional<List<KernelDrift>> verdict = unlockedReading().flatMap(reading -> state.write(() -> {
                // in check()'s order, so that repair() knows the same drift again
                List<KernelDrift> drift = new ArrayList<>(reading.drivers());
                drift.addAll(networks.ndpProxies().drift(reading.ndp()));
                drift.addAll(reading.firewall());
                if (!drift.isEmpty() && state.sequence() != before + 1) {
                    return Optional.empty();
                }
                return Optional.of(repair(drift));
            }));
            if (verdict.isPresent()) {
                inconclusive = 0;
                return verdict.get();
            }
            inconclusive++;
            return List.of();
        }
        inconclusive = 0;
        return state.write(() -> repair(check()));
    }

    /** What a pass read without the lock: the drivers' drift, the NDP proxy's kernel side, the firewall's drift. */
    private record Reading(List<KernelDrift> drivers, NdpProxies.DriftReading ndp, List<KernelDrift> firewall) {
    }

    /** Empty when a change under way made the reading fail (it reads the state as it moves). */
    private Optional<Reading> unlockedReading() {
        try {
            List<KernelDrift> drivers = driversDrift();
            NdpProxies.DriftReading ndp = networks.ndpProxies().readForDrift();
            return Optional.of(new Reading(drivers, ndp, state.dependencies().firewall().drift()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "reconcile reading inconclusive: " + e);
            return Optional.empty();
        }
    }

    /** Today's drift, under the lock: repaired unless the same drift's last repair failed lately. */
    private List<KernelDrift> repair(List<KernelDrift> drift) {
        List<String> lines = drift.stream().map(KernelDrift::description).toList();
        if (drift.isEmpty()) {
            unfixed = List.of();
            return drift;
        }
        long now = System.nanoTime();
        if (lines.equals(unfixed) && now - unfixedSince < RETRY.toNanos()) {
            return drift;
        }
        LOG.log(System.Logger.Level.WARNING, "kernel drift: " + String.join("; ", lines) + ": repairing");
        List<String> failed = new ArrayList<>(networks.ensureKernel());
        failed.addAll(restore.run());
        List<String> after = check().stream().map(KernelDrift::description).toList();
        if (after.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "kernel drift repaired: " + String.join("; ", lines));
            unfixed = List.of();
        } else {
            unfixed = after;
            unfixedSince = now;
        }
        publish(drift, failed);
        return drift;
    }

    /**
     * What differs now, without repairing anything: what {@link #pass()} checks, plus what it leaves
     * out to stay cheap, the firewall's set and map elements ({@code Firewall.missingElements}).
     * Taken under the write lock, so a change being applied is never half-seen. For
     * {@code berth doctor}.
     */
    public List<KernelDrift> audit() {
        return state.write(() -> {
            List<KernelDrift> out = check();
            out.addAll(state.dependencies().firewall().missingElements(state.networks().values(), state.publishedPorts()));
            return out;
        });
    }

    private List<KernelDrift> driversDrift() {
        List<KernelDrift> out = new ArrayList<>();
        restore.joinsByDriver(state.attachments().sandboxes()).forEach((driver, work) ->
                out.addAll(state.driver(driver).drift(work.networks(), work.joins())));
        return out;
    }

    private List<KernelDrift> check() {
        long start = System.nanoTime();
        List<Sandbox> sandboxes = state.attachments().sandboxes();
        List<KernelDrift> out = new ArrayList<>(driversDrift());
        long drivers = System.nanoTime();
        out.addAll(networks.ndpProxies().drift());
        long ndp = System.nanoTime();
        out.addAll(state.dependencies().firewall().drift());
        long end = System.nanoTime();
        LOG.log(System.Logger.Level.DEBUG, () -> "reconcile check of " + sandboxes.size() + " sandboxes: drivers "
                + (drivers - start) / 1000 + " µs, ndp proxy " + (ndp - drivers) / 1000 + " µs, firewall "
                + (end - ndp) / 1000 + " µs");
        return out;
    }

    private void publish(List<KernelDrift> drift, List<String> failed) {
        Map<Optional<NetworkId>, List<String>> byNetwork = drift.stream().collect(Collectors.groupingBy(
                d -> Optional.ofNullable(d.network()), LinkedHashMap::new,
                Collectors.mapping(KernelDrift::description, Collectors.toList())));
        String failures = String.join("; ", failed);
        byNetwork.forEach((id, lines) -> state.publish(new Change.NetworkReconciled(
                id.map(NetworkId::value).orElse(""), id.flatMap(state::network), String.join("; ", lines), failures)));
    }
}
