package dev.berth.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
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
