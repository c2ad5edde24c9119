package dev.berth.daemon.metrics;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.event.ChangeEvents;
import dev.berth.core.service.sandbox.ProcessState;
import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.core.service.state.ServiceState;
import dev.berth.daemon.api.RequestObserver;
import dev.berth.daemon.dns.DnsObserver;
import dev.berth.kernel.ffm.Errno;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry and every metric Berth exports (the README's Metrics section lists them). Counts
 * come from the observers this class implements; the gauges are read from the state when scraped.
 * Histograms are classic ones (fixed buckets: an observation is a bucket search and two atomic
 * adds, no allocation) without exemplars.
 */
final class Instruments implements RequestObserver {
    private static final double NANOS_PER_SECOND = 1e9;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram requests = Histogram.builder().name("berth_api_request_duration_seconds")
            .help("Engine API requests by method, route (its template) and status: time to the answer")
            .labelNames("method", "route", "status").classicOnly().classicUpperBounds(requestSeconds())
            .withoutExemplars().register(registry);
    private final Histogram dnsQueries = Histogram.builder().name("berth_dns_query_duration_seconds")
            .help("Queries to the embedded DNS server (127.0.0.11) by result: local, forwarded or failed")
            .labelNames("result").classicOnly().classicUpperBounds(dnsSeconds()).withoutExemplars()
            .register(registry);
    private final Histogram firewall = Histogram.builder().name("berth_firewall_transaction_duration_seconds")
            .help("nftables transactions that changed the firewall (table inet berth), by result: ok or failed")
            .labelNames("result").classicOnly().classicUpperBounds(requestSeconds()).withoutExemplars()
            .register(registry);
    private final Counter kernelErrors = Counter.builder().name("berth_kernel_errors_total")
            .help("Errors the kernel answered the daemon's netlink requests with, by errno (tolerated ones included)")
            .labelNames("errno").withoutExemplars().register(registry);
    private final Counter repairs = Counter.builder().name("berth_reconcile_repairs_total")
            .help("Differences between store and kernel the reconcile loop repaired (the items of network reconcile"
                    + " events), by result: repaired, or failed when the event says a repair failed")
            .labelNames("result").withoutExemplars().register(registry);
    private final Counter events = Counter.builder().name("berth_events_total")
            .help("Events as docker events reports them, by type and action (network connect, container die, ...)")
            .labelNames("type", "action").withoutExemplars().register(registry);
    /** One data point per DNS result, resolved once: a query only observes. */
    private final DistributionDataPoint[] dnsByResult = new DistributionDataPoint[DnsObserver.Result.values().length];
    private final DistributionDataPoint firewallOk = firewall.labelValues("ok");
    private final DistributionDataPoint firewallFailed = firewall.labelValues("failed");

    Instruments() {
        // dockerd's process_* (Go's process collector has the same names), the heap and the threads:
        // about 1.6 MiB more RSS. The library's other JVM metrics (GC, pools, classes, compilation)
        // are left out: 5.5 MiB and some 600 classes more for what a JFR recording tells better.
        ProcessMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        for (DnsObserver.Result result : DnsObserver.Result.values()) {
            dnsByResult[result.ordinal()] = dnsQueries.labelValues(result.name().toLowerCase(Locale.ROOT));
        }
        repairs.initLabelValues("repaired");
        repairs.initLabelValues("failed");
    }

    /** Buckets of API requests and firewall transactions: sub-millisecond to seconds. */
    private static double[] requestSeconds() {
        return new double[] {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    }

    /** Buckets of DNS queries: local answers take microseconds, forwarded ones up to the upstream timeout. */
    private static double[] dnsSeconds() {
        return new double[] {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                2.5, 5};
    }

    PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void answered(String method, String route, int status, long nanos) {
        requests.labelValues(method, route, Integer.toString(status)).observe(nanos / NANOS_PER_SECOND);
    }

    DnsObserver dns() {
        return (result, nanos) -> dnsByResult[result.ordinal()].observe(nanos / NANOS_PER_SECOND);
    }

    void kernelError(int errno) {
        if (errno > 0) {
            kernelErrors.labelValues(Errno.name(errno)).inc();
        }
    }

    void transaction(boolean ok, long nanos) {
        (ok ? firewallOk : firewallFailed).observe(nanos / NANOS_PER_SECOND);
    }

    void watch(ServiceState state, SandboxProcesses processes) {
        GaugeWithCallback.builder().name("berth_networks").help("Networks by driver (the built-in ones included)")
                .labelNames("driver").callback(cb -> byDriver(state).forEach((driver, n) -> cb.call(n[0], driver)))
                .register(registry);
        GaugeWithCallback.builder().name("berth_endpoints")
                .help("Endpoints (a sandbox's attachment to a network) by the network's driver")
                .labelNames("driver").callback(cb -> byDriver(state).forEach((driver, n) -> cb.call(n[1], driver)))
                .register(registry);
        GaugeWithCallback.builder().name("berth_containers")
                .help("Containers and sandboxes by state (created, running, restarting, removing, exited)")
                .labelNames("state").callback(cb -> {
                    Map<ProcessState.Status, Integer> counts = new EnumMap<>(ProcessState.Status.class);
                    counts.putAll(processes.countByStatus());
                    for (ProcessState.Status status : ProcessState.Status.values()) {
                        cb.call(counts.getOrDefault(status, 0), status.wire());
                    }
                }).register(registry);
        state.changes().onChange(change -> {
            ChangeEvents.of(change, 0).ifPresent(e -> events.labelValues(e.type().wire(), e.action().wire()).inc());
            if (change instanceof Change.NetworkReconciled r) {
                repairs.labelValues(r.failed().isBlank() ? "repaired" : "failed").inc(items(r.repaired()));
            }
        });
    }

    /** Per driver: {networks, endpoints}, every driver named (zeros included). */
    private static Map<String, long[]> byDriver(ServiceState state) {
        Map<String, long[]> out = new TreeMap<>();
        state.driverNames().forEach(d -> out.put(d, new long[2]));
        Map<NetworkId, Network> networks = state.networks();
        for (Network n : networks.values()) {
            out.computeIfAbsent(n.driver(), d -> new long[2])[0]++;
        }
        for (Endpoint e : state.attachments().endpoints()) {
            Network n = networks.get(e.networkId());
            if (n != null) {
                out.computeIfAbsent(n.driver(), d -> new long[2])[1]++;
            }
        }
        return out;
    }

    /** How many items a {@code "; "}-separated list holds. */
    static long items(String list) {
        return list.isBlank() ? 0 : list.split("; ").length;
    }
}
