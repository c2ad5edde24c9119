package dev.berth.daemon;

import dev.berth.core.ipam.DefaultPools;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.RemoteEndpoint;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.network.NetworkSettings;
import dev.berth.core.service.sandbox.Reconciler;
import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.state.ChangeStream;
import dev.berth.core.service.state.ServiceDependencies;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.NetworkDriver;
import dev.berth.daemon.api.ApiContext;
import dev.berth.daemon.api.ApiServer;
import dev.berth.daemon.api.ContainerLookup;
import dev.berth.daemon.api.ImageContext;
import dev.berth.daemon.api.RegistryPullEndpoint;
import dev.berth.daemon.api.SocketGroup;
import dev.berth.daemon.api.SystemInfo;
import dev.berth.daemon.cluster.ClusterNode;
import dev.berth.daemon.cluster.RemoteListener;
import dev.berth.daemon.config.ClusterSettings;
import dev.berth.daemon.config.ConfigException;
import dev.berth.daemon.config.ConfigKey;
import dev.berth.daemon.config.ConfigLoader;
import dev.berth.daemon.config.ConfigReload;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.config.DaemonFlags;
import dev.berth.daemon.config.LogSetup;
import dev.berth.daemon.dns.DnsObserver;
import dev.berth.daemon.dns.DnsServer;
import dev.berth.daemon.dns.Forwarder;
import dev.berth.daemon.dns.Upstreams;
import dev.berth.daemon.doctor.Desired;
import dev.berth.daemon.doctor.Doctor;
import dev.berth.daemon.doctor.HostReader;
import dev.berth.daemon.driver.bridge.BridgeDriver;
import dev.berth.daemon.driver.bridge.LinkReaper;
import dev.berth.daemon.driver.bridge.NetlinkHostPrefixes;
import dev.berth.daemon.driver.bridge.NetlinkNdpProxy;
import dev.berth.daemon.driver.host.HostDriver;
import dev.berth.daemon.driver.none.NullDriver;
import dev.berth.daemon.driver.overlay.OverlayDriver;
import dev.berth.daemon.firewall.nft.NftFirewall;
import dev.berth.daemon.firewall.nft.SysctlFirewall;
import dev.berth.daemon.host.DaemonRoots;
import dev.berth.daemon.host.HeapKeeper;
import dev.berth.daemon.host.HostFacts;
import dev.berth.daemon.host.JitPriority;
import dev.berth.daemon.host.SystemdNotify;
import dev.berth.daemon.metrics.Metrics;
import dev.berth.daemon.image.DiskImageStore;
import dev.berth.daemon.image.RegistryPull;
import dev.berth.daemon.image.registry.RegistryClient;
import dev.berth.daemon.image.registry.RegistryTimeouts;
import dev.berth.daemon.image.registry.RegistryTrust;
import dev.berth.daemon.netns.NamedNetnsRuntime;
import dev.berth.daemon.netns.NetnsSandboxNamespaces;
import dev.berth.daemon.process.ConmonLauncher;
import dev.berth.daemon.reconcile.ReconcileLoop;
import dev.berth.daemon.store.SqliteStateStore;
import dev.berth.kernel.ffm.Libc;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netns.NsVisitors;
import dev.berth.kernel.nftables.NftContext;
import dev.berth.kernel.sysctl.Sysctls;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * The running daemon: wiring and lifecycle. Everything opened at start-up is pushed on a stack and
 * closed in reverse at shutdown (or when start-up fails half-way).
 */
final class Daemon {
    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());
    private static final int SIGHUP = 1;
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;
    /** How often {@link HeapKeeper} looks at the heap, and how far it lets it grow past what was live. */
    private static final Duration HEAP_CHECK = Duration.ofSeconds(10);
    private static final long HEAP_SLACK = 32L << 20;
    /** Threads that visit sandbox namespaces one after another in start-up's passes over all of them. */
    private static final int NS_VISITORS = 4;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    /** systemd's notify socket (Type=notify): READY, RELOADING/READY around a reload, STOPPING. */
    private final SystemdNotify systemd = SystemdNotify.fromEnvironment(System.getenv());

    static String version() {
        String v = Daemon.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static int runUntilStopped(DaemonFlags flags, ConfigLoader.Loaded loaded, JitPriority jit) {
        Daemon daemon = new Daemon();
        loaded.warnings().forEach(LOG::warning);
        try {
            daemon.start(flags, loaded.config(), jit);
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

    private void start(DaemonFlags flags, DaemonConfig config, JitPriority jit) {
        Thread.ofPlatform().daemon().name("berth-prewarm").start(ApiServer::prewarm);
        SocketGroup socketGroup = SocketGroup.resolve(config.group());
        socketGroup.warning().ifPresent(LOG::warning);
        // Bound first, as dockerd does: a taken metrics-addr stops start-up before anything is made.
        Metrics metrics = config.metricsAddr().map(a -> Metrics.serve(a.host(), a.port())).orElseGet(Metrics::off);
        opened.push(metrics);
        LOG.info("Starting up Berth " + version() + " (data-root " + config.dataRoot() + ", exec-root "
                + config.execRoot() + ")");
        DaemonRoots roots = DaemonRoots.prepare(config);
        opened.push(roots);
        SqliteStateStore store = SqliteStateStore.open(config.dataRoot().resolve("berth.db"));
        opened.push(store);
        // The local images: opening sweeps what a crash left in image/ (staging, blobs and layers of no image).
        DiskImageStore images = DiskImageStore.open(config.dataRoot(), config.execRoot(), Clock.systemUTC());
        RtNetlink netlink = RtNetlink.open(metrics.kernelErrors());
        opened.push(netlink);
        // The reconcile loop's dumps go through a socket of their own: one socket serves one request at a time.
        RtNetlink dumps = RtNetlink.open(metrics.kernelErrors());
        opened.push(dumps);
        LinkReaper reaper = new LinkReaper(RtNetlink.open(metrics.kernelErrors()));
        opened.push(reaper);
        reaper.sweepLeftovers();
        // Opened now, while descriptor numbers are low, and kept: libnftables waits with select(),
        // which glibc aborts on for a socket numbered 1024 or more; its socket is made once, in
        // nft_ctx_new (1.0.6 never re-opens it). Sandboxes' nf_tables go over netlink (NftBatch).
        NftContext nft = NftContext.open();
        opened.push(nft);
        SecureRandom random = new SecureRandom();
        NamedNetnsRuntime runtime = new NamedNetnsRuntime(config.execRoot().resolve("netns"));
        opened.push(runtime);
        // made here, on the main thread: the visitors' home is the daemon's namespace
        NsVisitors visitors = new NsVisitors(NS_VISITORS);
        opened.push(visitors);
        BridgeDriver bridge = new BridgeDriver(netlink, dumps, reaper, random, metrics.kernelErrors(), visitors);
        opened.push(bridge);
        List<NetworkDriver> drivers = new ArrayList<>(List.of(bridge, new HostDriver(), new NullDriver()));
        // Overlay networks exist only with a cluster store; an etcd that does not answer is joined later.
        ClusterNode cluster = null;
        OverlayDriver overlay = null;
        if (config.cluster().enabled()) {
            cluster = new ClusterNode(config.cluster().endpoints(), config.cluster().tls(), roots.engineId(),
                    vtep(config.cluster(), netlink), config.cluster().ttlSeconds());
            opened.push(cluster);
            // the firewall's sysctls of an overlay's bridge are the driver's to write: the bridge comes and goes
            overlay = new OverlayDriver(bridge, netlink, cluster, NftFirewall::requiredSysctls);
            drivers.add(overlay);
        }
        ServiceDependencies dependencies = new ServiceDependencies(store,
                drivers,
                new SysctlFirewall(new NftFirewall(metrics.firewall(nft))),
                new NetlinkHostPrefixes(netlink, Path.of("/etc/resolv.conf")), new NetlinkNdpProxy(netlink, dumps),
                new EventLog(), Clock.systemUTC(), random);
        ServiceState state = new ServiceState(dependencies);
        NetworkService networks = new NetworkService(state,
                new NetworkSettings(roots.engineId(), config.addressPools(), config.bridge(),
                        config.defaultNetworkOpts(), config.ndpProxy()));
        networks.start();
        SandboxService sandboxes = new SandboxService(state, networks, runtime, HostFacts.ephemeralPorts());
        sandboxes.start();
        sandboxes.reserveDaemonPorts(dev.berth.daemon.api.ApiListener.hostPorts(config.hosts()));
        // Container roots of no stored sandbox go (a removal a crash cut short).
        images.releaseOthers(sandboxes.list().stream().map(v -> v.sandbox().id())
                .collect(java.util.stream.Collectors.toSet()));
        DnsFeed feed = startDns(config, sandboxes, state.changes(), new NetnsSandboxNamespaces(visitors),
                metrics.dns());
        Forwarder forwarder = feed.forwarder();
        if (cluster != null) {
            OverlayDriver paths = overlay;
            cluster.start(networks, sandboxes, List.of(new RemoteListener() {
                @Override
                public void added(Network network, RemoteEndpoint endpoint) {
                    paths.remoteAdded(network, endpoint);
                    feed.putRemote(network, endpoint);
                }

                @Override
                public void removed(Network network, RemoteEndpoint endpoint) {
                    feed.removeRemote(network, endpoint);
                    paths.remoteRemoved(network, endpoint);
                }

                @Override
                public void synced(Network network, List<RemoteEndpoint> endpoints) {
                    paths.converge(network, endpoints);
                }
            }));
        }
        ConmonLauncher launcher = ConmonLauncher.install(config.execRoot(), Path.of("/etc/resolv.conf"));
        SandboxProcesses processes = new SandboxProcesses(state, sandboxes, launcher, images, null);
        processes.restore();
        opened.push(processes);
        metrics.watch(state, processes);
        Reconciler reconciler = new Reconciler(state, networks, sandboxes);
        ReconcileLoop reconcile = new ReconcileLoop(reconciler);
        opened.push(reconcile);
        reconcile.start();
        IpPrefix ulaPool = DefaultPools.ula(roots.engineId()).base();
        Doctor doctor = new Doctor(new HostReader(netlink, Sysctls.KERNEL, nft, () -> new Desired(
                List.copyOf(state.networks().values()), state.attachments().endpoints(), reconciler.audit(), ulaPool)),
                Doctor.standardChecks());
        SystemInfo info = HostFacts.systemInfo(config, roots.engineId(), version());
        // Pulls trust the JVM's CAs plus, per registry, <config dir>/certs.d/<host:port>/*.crt (dockerd's certs.d).
        RegistryTrust registryTrust = new RegistryTrust(config.configFile().toAbsolutePath().getParent().resolve("certs.d"));
        RegistryPull pull = new RegistryPull(images, RegistryClient.create(RegistryTimeouts.standard(), registryTrust));
        ImageContext imageApi = new ImageContext(images, processes::imagesInUse, new RegistryPullEndpoint(pull),
                Clock.systemUTC());
        ApiServer api = new ApiServer(new ApiContext(networks, sandboxes, networks.events(), Clock.systemUTC(),
                info, processes, doctor, imageApi, launcher.containerIo(), ContainerLookup.over(sandboxes, processes)),
                HostFacts.acceptQueue(Sysctls.KERNEL), metrics.requests());
        opened.push(api);
        List<String> listening = api.start(config.hosts(), socketGroup, config.tls());
        installSignals(reloads(flags, config, roots.engineId(), networks, sandboxes, forwarder, attributes -> {
            Map<String, String> named = new LinkedHashMap<>(attributes);
            named.put("name", info.hostname());
            state.publish(new Change.DaemonReloaded(info.engineId(), named));
        }));
        listening.forEach(address -> LOG.info("API listen on " + address));
        if (!metrics.address().isEmpty()) {
            LOG.info("metrics API listening on " + metrics.address());
        }
        // The serial GC alone lets what a burst of requests promoted pile up in the old generation.
        opened.push(HeapKeeper.start(HEAP_CHECK, HEAP_SLACK));
        // The JIT compilers, lowered by Main while the daemon started, compile at full priority again.
        String jitWarning = jit.restore();
        if (!jitWarning.isEmpty()) {
            LOG.warning(jitWarning);
        }
        LOG.info("Daemon has completed initialization");
        systemd.ready("API listen on " + String.join(", ", listening));
    }

    /**
     * The underlay address of this host's VXLAN tunnels: {@code cluster-advertise} as an address,
     * or the first global IPv4 address of the interface it names (read in the daemon's namespace).
     */
    private static InetAddress vtep(ClusterSettings cluster, RtNetlink netlink) {
        Optional<String> address = cluster.advertiseAddress();
        if (address.isPresent()) {
            return IpAddresses.parse(address.get());
        }
        String advertise = cluster.advertise();
        Link link = netlink.link(advertise).orElseThrow(() -> new ConfigException("cluster-advertise: no interface "
                + advertise + " in the daemon's network namespace"));
        return netlink.addresses(link.index()).stream()
                .filter(a -> a.address() instanceof Inet4Address && a.scope() == 0)
                .map(Address::address).findFirst()
                .orElseThrow(() -> new ConfigException("cluster-advertise: interface " + advertise
                        + " has no global IPv4 address"));
    }

    /**
     * The embedded DNS server. Its threads are created here, on the main thread, so they and the
     * forwarder's sockets live in the daemon's own namespace (host-only upstreams work).
     */
    private DnsFeed startDns(DaemonConfig config, SandboxService sandboxes, ChangeStream changes,
                             NetnsSandboxNamespaces namespaces, DnsObserver observer) {
        Forwarder forwarder = new Forwarder(Forwarder.Settings.of(Upstreams.of(config.dns(), hostResolvConf()))
                .withCache(config.dnsCache()).withNegativeTtl(config.dnsNegTtl()));
        opened.push(forwarder);
        forwarder.start();
        DnsServer dns = new DnsServer(namespaces, forwarder, DnsServer.LISTEN, observer);
        opened.push(dns);
        dns.start();
        DnsFeed feed = new DnsFeed(sandboxes, dns, forwarder);
        opened.push(feed);
        feed.start(changes);
        LOG.info("Embedded DNS: upstreams " + forwarder);
        return feed;
    }

    /**
     * What a reload (SIGHUP) applies, option group by option group: the one list of reloadable
     * options' effects. Networks come first: the default bridge may refuse the reload, the others
     * cannot. A further reloadable option joins a step here, or brings its own.
     */
    private static ConfigReload reloads(DaemonFlags flags, DaemonConfig config, String engineId,
                                        NetworkService networks, SandboxService sandboxes, Forwarder forwarder,
                                        Consumer<Map<String, String>> announce) {
        return new ConfigReload(flags, config, List.of(
                new ConfigReload.Step("default bridge", EnumSet.of(ConfigKey.IPV6, ConfigKey.BIP6,
                        ConfigKey.FIXED_CIDR_V6, ConfigKey.DEFAULT_GATEWAY_V6, ConfigKey.ICC, ConfigKey.IP_MASQ,
                        ConfigKey.DEFAULT_NETWORK_OPTS), c -> ConfigReload.summary(sandboxes.reconfigure(
                        new NetworkSettings(engineId, c.addressPools(), c.bridge(), c.defaultNetworkOpts())))),
                new ConfigReload.Step("NDP proxy", EnumSet.of(ConfigKey.NDP_PROXY), c -> {
                    List<String> failed = networks.reconfigureNdpProxy(c.ndpProxy());
                    return failed.isEmpty() ? "" : failed.size() + " entries not changed (" + String.join("; ", failed) + ")";
                }),
                new ConfigReload.Step("embedded DNS", EnumSet.of(ConfigKey.DNS, ConfigKey.DNS_CACHE,
                        ConfigKey.DNS_NEG_TTL), c -> {
                    forwarder.upstreams(Upstreams.of(c.dns(), hostResolvConf()));
                    forwarder.cache(c.dnsCache(), c.dnsNegTtl());
                    return "upstreams " + forwarder + ", cache " + (c.dnsCache() ? "on" : "off")
                            + ", negative TTL " + c.dnsNegTtl() + " s";
                }),
                new ConfigReload.Step("logging", EnumSet.of(ConfigKey.DEBUG, ConfigKey.LOG_LEVEL, ConfigKey.LOG_FORMAT),
                        c -> {
                            LogSetup.configure(c.logging());
                            return "";
                        })),
                announce);
    }

    private static String hostResolvConf() {
        try {
            return Files.readString(Path.of("/etc/resolv.conf"));
        } catch (IOException e) {
            LOG.warning("cannot read /etc/resolv.conf (" + e.getMessage() + "): no DNS upstreams");
            return "";
        }
    }

    /**
     * SIGTERM and SIGINT stop; SIGHUP reloads daemon.json on a thread of its own (created here, in
     * the daemon's namespace), one reload after the other.
     */
    private void installSignals(ConfigReload reload) {
        ExecutorService reloads = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("berth-reload")
                .daemon(true).factory());
        opened.push(reloads::close);
        reloads.execute(() -> { });
        // Go's signal.Notify takes an ignored signal back, so dockerd under nohup still reloads;
        // the JVM would leave it ignored and the handler below would never run.
        for (int sig : new int[] {SIGHUP, SIGINT, SIGTERM}) {
            if (Libc.unignoreSignal(sig)) {
                LOG.info("signal " + sig + " was ignored by whoever started the daemon (nohup?); it is handled again");
            }
        }
        Signal.handle(new Signal("TERM"), s -> requestStop("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> requestStop("SIGINT"));
        Signal.handle(new Signal("HUP"), s -> {
            LOG.info("Got signal to reload configuration, reloading from: " + reload.running().configFile());
            try {
                reloads.execute(() -> {
                    systemd.reloading();
                    systemd.ready(reload.reload().line());
                });
            } catch (RejectedExecutionException stopping) {
                LOG.info("not reloading: the daemon is stopping");
            }
        });
    }

    private void requestStop(String why) {
        LOG.info("Processing signal '" + why + "'");
        systemd.stopping("Stopping (" + why + ")");
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
