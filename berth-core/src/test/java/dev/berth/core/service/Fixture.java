package dev.berth.core.service;

import dev.berth.core.ipam.PoolSpec;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.service.network.DefaultBridgeSettings;
import dev.berth.core.service.network.IpamRequest;
import dev.berth.core.service.network.NdpProxySetting;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.network.NetworkSettings;
import dev.berth.core.service.network.PoolRequest;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.state.ServiceDependencies;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.HostPrefixes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A started {@link NetworkService} over an in-memory store, recording drivers and a settable clock. */
public final class Fixture {
    public static final String ENGINE_ID = "1d8a5c1e-7b2a-4d4e-9c55-0a7e3d7c9b10";
    public static final DefaultBridgeSettings BRIDGE =
            new DefaultBridgeSettings(IpPrefix.parse("172.17.0.1/16"), 1500, true, true, "0.0.0.0");

    public final InMemoryStore store = new InMemoryStore();
    public final RecordingDriver bridge = new RecordingDriver("bridge");
    public final List<IpPrefix> hostReserved = new ArrayList<>();
    public final EventLog events = new EventLog();
    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T01:00:00Z"));
    public final RecordingFirewall firewall = new RecordingFirewall();
    public final RecordingNdpProxy ndp = new RecordingNdpProxy();
    public final ServiceState state;
    public final NetworkService service;
    public final RecordingRuntime runtime = new RecordingRuntime();
    public final SandboxService sandboxes;

    public Fixture() {
        this(List.of());
    }

    public Fixture(List<PoolSpec> pools) {
        this(pools, BRIDGE, Map.of());
    }

    /** Started with these default bridge settings. */
    public Fixture(List<PoolSpec> pools, DefaultBridgeSettings bridgeSettings) {
        this(pools, bridgeSettings, Map.of());
    }

    /** With daemon.json {@code default-network-opts}. */
    public Fixture(List<PoolSpec> pools, Map<String, Map<String, String>> defaultNetworkOpts) {
        this(pools, BRIDGE, defaultNetworkOpts);
    }

    /** Started with these default bridge settings and {@code default-network-opts}. */
    public Fixture(List<PoolSpec> pools, DefaultBridgeSettings bridgeSettings,
                   Map<String, Map<String, String>> defaultNetworkOpts) {
        this(pools, bridgeSettings, defaultNetworkOpts, NdpProxySetting.AUTO, host -> { }, List.of());
    }

    /** With more drivers beside the recording bridge, host and null ones (an overlay driver's fake). */
    public Fixture(dev.berth.core.spi.NetworkDriver... more) {
        this(List.of(), BRIDGE, Map.of(), NdpProxySetting.AUTO, host -> { }, List.of(more));
    }

    /**
     * With daemon.json {@code ndp-proxy}, and the host's NDP proxy (on-link prefixes, entries) set up
     * by {@code host} before start-up.
     */
    public Fixture(NdpProxySetting ndpProxy, java.util.function.Consumer<RecordingNdpProxy> host) {
        this(List.of(), BRIDGE, Map.of(), ndpProxy, host, List.of());
    }

    private Fixture(List<PoolSpec> pools, DefaultBridgeSettings bridgeSettings,
                    Map<String, Map<String, String>> defaultNetworkOpts, NdpProxySetting ndpProxy,
                    java.util.function.Consumer<RecordingNdpProxy> ndpHost, List<dev.berth.core.spi.NetworkDriver> more) {
        ndpHost.accept(ndp);
        HostPrefixes host = () -> List.copyOf(hostReserved);
        List<dev.berth.core.spi.NetworkDriver> drivers = new ArrayList<>(
                List.of(bridge, new RecordingDriver("host"), new RecordingDriver("null")));
        drivers.addAll(more);
        state = new ServiceState(new ServiceDependencies(store, drivers, firewall, host, ndp, events,
                clock, new SplittableRandom(7)));
        service = new NetworkService(state, new NetworkSettings(ENGINE_ID, pools, bridgeSettings, defaultNetworkOpts,
                ndpProxy));
        service.start();
        sandboxes = new SandboxService(state, service, runtime);
        sandboxes.start();
        bridge.calls.clear();
    }

    /** The state and network service of a daemon restarted over the same store, driver and firewall. */
    public record Restarted(ServiceState state, NetworkService service) {
    }

    /**
     * The daemon restarted over the same store, driver, firewall and host NDP proxy, with this
     * {@code ndp-proxy} setting, its sandboxes restored ({@code SandboxService.start}).
     */
    public SandboxService restartedWithNdp(NdpProxySetting ndpProxy) {
        ServiceState again = new ServiceState(new ServiceDependencies(store,
                List.of(bridge, new RecordingDriver("host"), new RecordingDriver("null")), firewall,
                HostPrefixes.none(), ndp, new EventLog(), clock, new SplittableRandom(11)));
        NetworkService networks = new NetworkService(again, new NetworkSettings(ENGINE_ID, List.of(), BRIDGE, Map.of(),
                ndpProxy));
        networks.start();
        SandboxService restored = new SandboxService(again, networks, runtime);
        restored.start();
        return restored;
    }

    /** A second service over the same store, driver and firewall: the daemon after a restart. */
    public Restarted restarted(long seed) {
        ServiceState again = new ServiceState(new ServiceDependencies(store,
                List.of(bridge, new RecordingDriver("host"), new RecordingDriver("null")), firewall,
                HostPrefixes.none(), new EventLog(), clock, new SplittableRandom(seed)));
        return new Restarted(again, new NetworkService(again, new NetworkSettings(ENGINE_ID, List.of(), BRIDGE)));
    }

    public static CreateNetwork request(String name, Boolean ipv4, Boolean ipv6, List<PoolRequest> pools,
                                 Map<String, String> options) {
        return new CreateNetwork(name, "bridge", "", ipv4, ipv6, new IpamRequest("default", Map.of(), pools),
                CreateNetwork.RequestFlags.NONE, null, options, Map.of());
    }

    public static CreateNetwork withPools(String name, PoolRequest... pools) {
        return request(name, null, null, List.of(pools), Map.of());
    }

    public static CreateNetwork withLabels(String name, Map<String, String> labels) {
        return new CreateNetwork(name, "bridge", "", null, null, null, null, null, Map.of(), labels);
    }

    /** A clock tests move forward by hand. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant now) {
            this.now = now;
        }

        public void advanceSeconds(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
