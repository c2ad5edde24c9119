package dev.berth.core.service;

import dev.berth.core.ipam.PoolSpec;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.spi.HostPrefixes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A started {@link NetworkService} over an in-memory store, recording drivers and a settable clock. */
final class Fixture {
    static final String ENGINE_ID = "1d8a5c1e-7b2a-4d4e-9c55-0a7e3d7c9b10";
    static final DefaultBridgeSettings BRIDGE =
            new DefaultBridgeSettings(IpPrefix.parse("172.17.0.1/16"), 1500, true, true, "0.0.0.0");

    final InMemoryStore store = new InMemoryStore();
    final RecordingDriver bridge = new RecordingDriver("bridge");
    final List<IpPrefix> hostReserved = new ArrayList<>();
    final EventLog events = new EventLog();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T01:00:00Z"));
    final RecordingFirewall firewall = new RecordingFirewall();
    final NetworkService service;
    final RecordingRuntime runtime = new RecordingRuntime();
    final SandboxService sandboxes;

    Fixture() {
        this(List.of());
    }

    Fixture(List<PoolSpec> pools) {
        HostPrefixes host = () -> List.copyOf(hostReserved);
        service = new NetworkService(new NetworkDependencies(store,
                List.of(bridge, new RecordingDriver("host"), new RecordingDriver("null")), firewall, host, events, clock,
                new SplittableRandom(7)), new NetworkSettings(ENGINE_ID, pools, BRIDGE));
        service.start();
        sandboxes = new SandboxService(service, runtime);
        sandboxes.start();
        bridge.calls.clear();
    }

    /** A second service over the same store, driver and firewall: the daemon after a restart. */
    NetworkService restarted(long seed) {
        return new NetworkService(new NetworkDependencies(store,
                List.of(bridge, new RecordingDriver("host"), new RecordingDriver("null")), firewall,
                HostPrefixes.none(), new EventLog(), clock, new SplittableRandom(seed)),
                new NetworkSettings(ENGINE_ID, List.of(), BRIDGE));
    }

    static CreateNetwork request(String name, Boolean ipv4, Boolean ipv6, List<PoolRequest> pools,
                                 Map<String, String> options) {
        return new CreateNetwork(name, "bridge", "", ipv4, ipv6, new IpamRequest("default", Map.of(), pools),
                CreateNetwork.RequestFlags.NONE, null, options, Map.of());
    }

    static CreateNetwork withPools(String name, PoolRequest... pools) {
        return request(name, null, null, List.of(pools), Map.of());
    }

    static CreateNetwork withLabels(String name, Map<String, String> labels) {
        return new CreateNetwork(name, "bridge", "", null, null, null, null, null, Map.of(), labels);
    }

    /** A clock tests move forward by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advanceSeconds(long seconds) {
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
