package dev.berth.daemon;

import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.network.NetworkSettings;
import dev.berth.core.service.sandbox.Reconciler;
import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.state.ChangeStream;
import dev.berth.core.service.state.ServiceDependencies;
import dev.berth.core.service.state.ServiceState;
import dev.berth.daemon.api.ApiContext;
import dev.berth.daemon.api.ApiServer;
import dev.berth.daemon.api.SocketGroup;
import dev.berth.daemon.config.ConfigLoader;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.dns.DnsServer;
import dev.berth.daemon.dns.Forwarder;
import dev.berth.daemon.dns.Upstreams;
import dev.berth.daemon.driver.bridge.BridgeDriver;
import dev.berth.daemon.driver.bridge.LinkReaper;
import dev.berth.daemon.driver.bridge.NetlinkHostPrefixes;
import dev.berth.daemon.driver.bridge.NetlinkNdpProxy;
import dev.berth.daemon.driver.host.HostDriver;
import dev.berth.daemon.driver.none.NullDriver;
import dev.berth.daemon.firewall.nft.NftFirewall;
import dev.berth.daemon.firewall.nft.SysctlFirewall;
import dev.berth.daemon.host.DaemonRoots;
import dev.berth.daemon.host.HostFacts;
import dev.berth.daemon.netns.NamedNetnsRuntime;
import dev.berth.daemon.netns.NetnsSandboxNamespaces;
import dev.berth.daemon.process.ConmonLauncher;
import dev.berth.daemon.reconcile.ReconcileLoop;
import dev.berth.daemon.store.SqliteStateStore;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.nftables.LowFdReserve;
import dev.berth.kernel.nftables.NftContext;
import dev.berth.kernel.sysctl.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * The running daemon: wiring and lifecycle. Everything opened at start-up is pushed on a stack and
 * closed in reverse at shutdown (or when start-up fails half-way).
 */
final class Daemon {
    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());
    /** Low descriptor numbers kept for libnftables contexts created inside sandboxes. */
    private static final int LOW_FD_RESERVE = 32;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final CountDownLatch stop = new CountDownLatch(1);

    static String version() {
        String v = Daemon.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static int runUntilStopped(ConfigLoader.Loaded loaded) {
        Daemon daemon = new Daemon();
        loaded.warnings().forEach(LOG::warning);
        try {
            daemon.start(loaded.config());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "failed to start daemon: " + e.getMessage(), e);
            daemon.close();
            return 1;
        }
        daemon.awaitStop();
        daemon.close();
        LOG.info("Daemon shutdown complete");
        return 0;
    }

    private void start(DaemonConfig config) {
        SocketGroup socketGroup = SocketGroup.resolve(config.group());
        socketGroup.warning().ifPresent(LOG::warning);
        LOG.info("Starting up Berth " + version() + " (data-root " + config.dataRoot() + ", exec-root "
                + config.execRoot() + ")");
        DaemonRoots roots = DaemonRoots.prepare(config);
        opened.push(roots);
        LowFdReserve lowFds = LowFdReserve.take(LOW_FD_RESERVE);
        opened.push(lowFds);
        SqliteStateStore store = SqliteStateStore.open(config.dataRoot().resolve("berth.db"));
        opened.push(store);
        RtNetlink netlink = RtNetlink.open();
        opened.push(netlink);
        LinkReaper reaper = new LinkReaper(RtNetlink.open());
        opened.push(reaper);
        reaper.sweepLeftovers();
        NftContext nft = NftContext.open();
        opened.push(nft);
        SecureRandom random = new SecureRandom();
        NamedNetnsRuntime runtime = new NamedNetnsRuntime(config.execRoot().resolve("netns"));
        opened.push(runtime);
        BridgeDriver bridge = new BridgeDriver(netlink, reaper, random);
        opened.push(bridge);
        ServiceDependencies dependencies = new ServiceDependencies(store,
                List.of(bridge, new HostDriver(), new NullDriver()), new SysctlFirewall(new NftFirewall(nft)),
                new NetlinkHostPrefixes(netlink, Path.of("/etc/resolv.conf")), new NetlinkNdpProxy(netlink),
                new EventLog(), Clock.systemUTC(), random);
        ServiceState state = new ServiceState(dependencies);
        NetworkService networks = new NetworkService(state,
                new NetworkSettings(roots.engineId(), config.addressPools(), config.bridge(),
                        config.defaultNetworkOpts(), config.ndpProxy()));
        networks.start();
        SandboxService sandboxes = new SandboxService(state, networks, runtime, HostFacts.ephemeralPorts());
        sandboxes.start();
        startDns(config, sandboxes, state.changes(), lowFds);
        SandboxProcesses processes = new SandboxProcesses(state, sandboxes,
                ConmonLauncher.install(config.execRoot(), Path.of("/etc/resolv.conf")));
        processes.restore();
        opened.push(processes);
        ReconcileLoop reconcile = new ReconcileLoop(new Reconciler(state, networks, sandboxes));
        opened.push(reconcile);
        reconcile.start();
        ApiServer api = new ApiServer(new ApiContext(networks, sandboxes, networks.events(), Clock.systemUTC(),
                HostFacts.systemInfo(config, roots.engineId(), version()), processes),
                HostFacts.acceptQueue(Sysctls.KERNEL));
        opened.push(api);
        api.start(config.socketPath(), socketGroup);
        installSignals();
        LOG.info("API listen on " + config.socketPath());
        LOG.info("Daemon has completed initialization");
    }

    /**
     * The embedded DNS server. Its threads are created here, on the main thread, so they and the
     * forwarder's sockets live in the daemon's own namespace (host-only upstreams work).
     */
    private void startDns(DaemonConfig config, SandboxService sandboxes, ChangeStream changes, LowFdReserve lowFds) {
        Forwarder forwarder = new Forwarder(Forwarder.Settings.of(Upstreams.of(config.dns(), hostResolvConf())));
        opened.push(forwarder);
        forwarder.start();
        DnsServer dns = new DnsServer(new NetnsSandboxNamespaces(lowFds), forwarder, DnsServer.LISTEN);
        opened.push(dns);
        dns.start();
        DnsFeed feed = new DnsFeed(sandboxes, dns);
        opened.push(feed);
        feed.start(changes);
        LOG.info("Embedded DNS: upstreams " + forwarder);
    }

    private static String hostResolvConf() {
        try {
            return Files.readString(Path.of("/etc/resolv.conf"));
        } catch (IOException e) {
            LOG.warning("cannot read /etc/resolv.conf (" + e.getMessage() + "): no DNS upstreams");
            return "";
        }
    }

    private void installSignals() {
        Signal.handle(new Signal("TERM"), s -> requestStop("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> requestStop("SIGINT"));
        Signal.handle(new Signal("HUP"), s -> LOG.info("SIGHUP received: no reloadable option is set; nothing to do"));
    }

    private void requestStop(String why) {
        LOG.info("Processing signal '" + why + "'");
        stop.countDown();
    }

    private void awaitStop() {
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void close() {
        while (!opened.isEmpty()) {
            AutoCloseable resource = opened.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "error while shutting down " + resource.getClass().getSimpleName() + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
