package dev.berth.core.service.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.service.InMemoryStore;
import dev.berth.core.service.RecordingDriver;
import dev.berth.core.service.RecordingFirewall;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.state.ServiceDependencies;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.HostPrefixes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NetworkServiceTest {
    private static final DefaultBridgeSettings DEFAULTS =
            new DefaultBridgeSettings(IpPrefix.parse("172.17.0.1/16"), 1500, true, true, "0.0.0.0");
    private final InMemoryStore store = new InMemoryStore();
    private final RecordingDriver bridge = new RecordingDriver("bridge");
    private final RecordingFirewall firewall = new RecordingFirewall();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T01:02:03.123456789Z"), ZoneOffset.UTC);

    private NetworkService service(long seed) {
        return new NetworkService(new ServiceState(new ServiceDependencies(store,
                List.of(bridge, new RecordingDriver("host"), new RecordingDriver("null")), firewall,
                HostPrefixes.none(), new EventLog(), clock, new SplittableRandom(seed))), NetworkSettings.defaults());
    }

    @Test
    void startCreatesThePredefinedNetworksWithDockersOptions() {
        NetworkService s = service(1);
        s.start(DEFAULTS);
        assertEquals(List.of("bridge", "host", "none"), s.list(NetworkFilter.none()).stream().map(Network::name).toList());
        Network br = s.inspect("bridge");
        assertEquals("172.17.0.0/16", br.ipam().pools().getFirst().subnet().toString());
        assertEquals(Map.of(
                "com.docker.network.bridge.default_bridge", "true",
                "com.docker.network.bridge.enable_icc", "true",
                "com.docker.network.bridge.enable_ip_masquerade", "true",
                "com.docker.network.bridge.host_binding_ipv4", "0.0.0.0",
                "com.docker.network.bridge.name", "docker0",
                "com.docker.network.driver.mtu", "1500"), br.options());
        assertEquals(List.of("ensure bridge"), bridge.calls);
        assertEquals(List.of("rebuild 3"), firewall.calls());
        assertEquals(3, store.networks.size());
    }

    @Test
    void restartKeepsIdsAndAppliesNewSettings() {
        service(1).start(DEFAULTS);
        Map<String, NetworkId> before = new TreeMap<>();
        store.networks.values().forEach(n -> before.put(n.name(), n.id()));

        NetworkService again = service(2);
        again.start(new DefaultBridgeSettings(IpPrefix.parse("10.55.0.1/24"), 1400, true, true, "0.0.0.0"));
        for (Network n : again.list(NetworkFilter.none())) {
            assertEquals(before.get(n.name()), n.id(), n.name());
        }
        Network br = again.inspect("bridge");
        assertEquals("10.55.0.0/24", br.ipam().pools().getFirst().subnet().toString());
        assertEquals("1400", br.options().get(PredefinedNetworks.OPT_MTU));
        assertEquals(3, store.networks.size());
    }

    @Test
    void resolvesFullIdThenNameThenUniquePrefix() {
        NetworkService s = service(3);
        s.start(DEFAULTS);
        Network host = s.inspect("host");
        assertEquals(host, s.inspect(host.id().value()));
        assertEquals(host, s.inspect(host.id().value().substring(0, 5)));
        NotFoundException missing = assertThrows(NotFoundException.class, () -> s.inspect("nosuch"));
        assertEquals("network nosuch not found", missing.getMessage());
    }

    @Test
    void ambiguousPrefixIsRejectedWithMobysWording() {
        NetworkService s = service(4);
        s.start(DEFAULTS);
        String common = "abc";
        store.putNetwork(copy(s.inspect("host"), common + "1".repeat(61), "x1"));
        store.putNetwork(copy(s.inspect("host"), common + "2".repeat(61), "x2"));
        NetworkService reloaded = service(5);
        reloaded.start(DEFAULTS);
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> reloaded.inspect(common));
        assertEquals("2 matches found based on ID prefix: network abc is ambiguous", e.getMessage());
        InvalidParameterException rm = assertThrows(InvalidParameterException.class,
                () -> reloaded.resolveForRemoval(common));
        assertEquals("network abc is ambiguous (2 matches found based on ID prefix)", rm.getMessage());
    }

    @Test
    void listAppliesFilters() {
        NetworkService s = service(6);
        s.start(DEFAULTS);
        assertEquals(List.of("bridge"), names(s, Map.of("driver", Set.of("bridge"))));
        assertEquals(List.of("bridge", "host", "none"), names(s, Map.of("type", Set.of("builtin"))));
        assertEquals(List.of(), names(s, Map.of("type", Set.of("custom"))));
        assertEquals(List.of("host", "none"), names(s, Map.of("name", Set.of("o"))));
        assertEquals(List.of("bridge", "none"), names(s, Map.of("name", Set.of("^b", "e$"))));
        assertEquals(List.of(), names(s, Map.of("label", Set.of("a"))));
    }

    @Test
    void startFinishesARemovalACrashCutShort() {
        NetworkService s = service(7);
        s.start(DEFAULTS);
        Network host = s.inspect("host");
        Network orphan = copy(host, "d".repeat(64), "half-removed");
        Network orphanBridge = new Network(orphan.id(), orphan.name(), "bridge", orphan.created(), orphan.scope(),
                orphan.ipam(), orphan.flags(), orphan.options(), orphan.labels());
        store.retireNetwork(orphanBridge);
        bridge.calls.clear();
        service(8).start(DEFAULTS);
        assertEquals(List.of("delete half-removed", "ensure bridge"), bridge.calls);
        assertEquals(List.of(), store.retired());
    }

    private static List<String> names(NetworkService s, Map<String, Set<String>> filter) {
        return s.list(new NetworkFilter(filter)).stream().map(Network::name).toList();
    }

    private static Network copy(Network n, String id, String name) {
        return new Network(new NetworkId(id), name, n.driver(), n.created(), n.scope(), n.ipam(), n.flags(),
                n.options(), n.labels());
    }
}
