package dev.berth.daemon.metrics;

import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.core.service.state.ServiceState;
import dev.berth.daemon.api.RequestObserver;
import dev.berth.daemon.dns.DnsObserver;
import dev.berth.kernel.ffm.KernelErrors;
import dev.berth.kernel.nftables.NftScriptRunner;

/**
 * The daemon's metrics: off (every observer does nothing), or served over HTTP at {@code /metrics}
 * of a TCP address. {@link #serve} binds at once, so a taken or wrong address stops start-up
 * before anything else is made, as in dockerd.
 */
public final class Metrics implements AutoCloseable {
    private final Instruments instruments;
    private final MetricsServer server;

    private Metrics(Instruments instruments, MetricsServer server) {
        this.instruments = instruments;
        this.server = server;
    }

    /** No metrics: no server, observers that do nothing. */
    public static Metrics off() {
        return new Metrics(null, null);
    }

    /**
     * Serves the metrics at {@code http://HOST:PORT/metrics}.
     *
     * @param host an address or name; empty: every address
     * @param port 0: one the kernel picks
     * @throws MetricsException when the address cannot be listened on, with Go's words:
     *         {@code failed to start metrics server: listen tcp 127.0.0.1:9323: bind: address already in use}
     */
    public static Metrics serve(String host, int port) {
        Instruments instruments = new Instruments();
        return new Metrics(instruments, MetricsServer.start(host, port, instruments.registry()));
    }

    /** The address served, {@code HOST:PORT} (with the port the kernel picked for 0); empty when off. */
    public String address() {
        return server == null ? "" : server.address();
    }

    /** What the API's dispatcher tells of each request. */
    public RequestObserver requests() {
        return instruments == null ? RequestObserver.NONE : instruments;
    }

    /** What the embedded DNS server tells of each query. */
    public DnsObserver dns() {
        return instruments == null ? DnsObserver.NONE : instruments.dns();
    }

    /** What the daemon's netlink sockets tell of the kernel's error answers. */
    public KernelErrors kernelErrors() {
        return instruments == null ? KernelErrors.NONE : instruments::kernelError;
    }

    /** {@code nft}, each transaction counted and timed. */
    public NftScriptRunner firewall(NftScriptRunner nft) {
        return instruments == null ? nft : new CountedTransactions(nft, instruments);
    }

    /**
     * Gauges over the state (networks and endpoints by driver, containers by state), read when
     * scraped, and the reconcile repairs from {@code state}'s change stream.
     */
    public void watch(ServiceState state, SandboxProcesses processes) {
        if (instruments != null) {
            instruments.watch(state, processes);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
