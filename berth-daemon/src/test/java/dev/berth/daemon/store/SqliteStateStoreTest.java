package dev.berth.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.model.SandboxId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest {
    @TempDir
    Path dir;

    @Test
    void networksSurviveReopenIntact() {
        Network n = sample();
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("berth.db"))) {
            store.putNetwork(n);
            store.putSetting("engine-id", "abc");
        }
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("berth.db"))) {
            assertEquals(List.of(n), store.networks());
            assertEquals(Optional.of("abc"), store.setting("engine-id"));
            store.deleteNetwork(n.id());
            store.deleteNetwork(n.id());
            assertTrue(store.networks().isEmpty());
        }
    }

    @Test
    void putReplacesByIdAndKeepsNullIpamOptions() {
        Network n = sample();
        Network renamed = new Network(n.id(), "other", n.driver(), n.created(), n.scope(),
                new Network.Ipam("default", null, n.ipam().pools()), n.flags(), n.options(), n.labels());
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("berth.db"))) {
            store.putNetwork(n);
            store.putNetwork(renamed);
            assertEquals(List.of(renamed), store.networks());
        }
    }

    @Test
    void sandboxesAndEndpointsSurviveReopenAndGoTogether() {
        SplittableRandom random = new SplittableRandom(3);
        Network n = sample();
        Sandbox c1 = new Sandbox(SandboxId.random(random), "c1", "host-c1", "/run/berth/netns/abc",
                Instant.parse("2026-11-28T01:00:00.5Z"), "net2");
        Endpoint full = new Endpoint(EndpointId.random(random), n.id(), c1.id(), "eth0", "veth1234567",
                "02:42:ac:11:00:02", IpPrefix.parse("10.10.0.130/24"), IpPrefix.parse("fd00:1::2/64"), List.of("a", "b"),
                new Endpoint.Requested("10.10.0.130", "", "", -3));
        Endpoint bare = new Endpoint(EndpointId.random(random), n.id(), c1.id(), "", "", "", null, null, List.of(),
                Endpoint.Requested.NONE);
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("berth.db"))) {
            store.putSandbox(c1);
            store.putEndpoint(full);
            store.putEndpoint(bare);
            store.deleteEndpoint(bare.id());
            store.deleteEndpoint(bare.id());
        }
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("berth.db"))) {
            assertEquals(List.of(c1), store.sandboxes());
            assertEquals(List.of(full), store.endpoints());
            store.putEndpoint(bare);
            store.deleteSandbox(c1.id());
            assertTrue(store.sandboxes().isEmpty());
            assertTrue(store.endpoints().isEmpty());
        }
    }

    @Test
    void commandsSurviveReopenAndGoWithTheirSandbox() {
        Sandbox c1 = new Sandbox(SandboxId.random(new SplittableRandom(5)), "c1", "c1", "/run/berth/netns/abc",
                Instant.parse("2026-11-28T01:00:00Z"), "bridge");
        SandboxCommand command = new SandboxCommand(c1.id(), List.of("sh", "-c", "exit 3"), true);
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("berth.db"))) {
            store.putSandbox(c1);
            store.putCommand(command);
        }
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("berth.db"))) {
            assertEquals(List.of(command), store.commands());
            store.deleteSandbox(c1.id());
            assertTrue(store.commands().isEmpty());
        }
    }

    private static Network sample() {
        IpamPool v4 = new IpamPool(IpPrefix.parse("10.10.0.0/24"), Optional.of(IpPrefix.parse("10.10.0.128/25")),
                Optional.of(IpAddresses.parse("10.10.0.1")), Map.of("host1", IpAddresses.parse("10.10.0.5")), true);
        IpamPool v6 = IpamPool.of(IpPrefix.parse("fd00:1::/64"), IpAddresses.parse("fd00:1::1"));
        return new Network(NetworkId.random(new SplittableRandom(7)), "net2", "bridge",
                Instant.parse("2026-11-28T00:47:52.883102172Z"), "local",
                new Network.Ipam("default", Map.of("foo", "bar"), List.of(v4, v6)),
                new Network.Flags(true, true, true, true, false, false),
                new TreeMap<>(Map.of("com.docker.network.bridge.name", "br-x")), new TreeMap<>(Map.of("a", "b", "c", "")));
    }
}
