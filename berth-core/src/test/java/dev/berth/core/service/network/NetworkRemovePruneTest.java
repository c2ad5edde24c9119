package dev.berth.core.service.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.event.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NetworkRemovePruneTest {
    private final Fixture f = new Fixture();

    private List<String> actions() {
        return f.events.replay(0, Long.MAX_VALUE, e -> true).stream()
                .map(e -> e.action().wire() + " " + e.attributes().getOrDefault("name", e.attributes().toString()))
                .toList();
    }

    @Test
    void removeDeletesStoreRowThenDeviceAndEmitsDestroy() {
        Network n = f.service.create(CreateNetwork.named("gone")).network();
        assertEquals(n, f.service.remove(n.id().shortId()));
        assertTrue(!f.store.networks.containsKey(n.id()));
        assertEquals(List.of("ensure gone", "delete gone"), f.bridge.calls);
        assertEquals(List.of("create gone", "destroy gone"), actions());
        assertThrows(NotFoundException.class, () -> f.service.remove("gone"));
    }

    @Test
    void predefinedNetworksCannotBeRemoved() {
        for (String name : List.of("bridge", "host", "none")) {
            ForbiddenException e = assertThrows(ForbiddenException.class, () -> f.service.remove(name));
            assertEquals(name + " is a pre-defined network and cannot be removed", e.getMessage());
        }
    }

    @Test
    void driverFailureOnRemoveKeepsTheNetwork() {
        Network n = f.service.create(CreateNetwork.named("stuck")).network();
        f.bridge.failDelete = new InternalException("delete bridge br-x: EBUSY");
        assertThrows(InternalException.class, () -> f.service.remove("stuck"));
        assertEquals(n, f.store.networks.get(n.id()));
        assertEquals(n, f.service.inspect("stuck"));
    }

    @Test
    void pruneHonoursUntilAndLabelsAndEmitsDestroysThenPrune() {
        f.service.create(Fixture.withLabels("old", Map.of("keep", "no")));
        f.clock.advanceSeconds(3600);
        f.service.create(Fixture.withLabels("kept", Map.of("keep", "yes")));
        f.service.create(Fixture.withLabels("young", Map.of()));
        f.clock.advanceSeconds(60);
        assertEquals(List.of("old"), f.service.prune(new PruneFilter(Map.of("until", Set.of("30m")))));
        assertEquals(List.of("young"), f.service.prune(new PruneFilter(Map.of("label!", Set.of("keep=yes")))));
        assertEquals(List.of(), f.service.prune(new PruneFilter(Map.of("label", Set.of("keep=no")))));
        assertEquals(List.of("kept"), f.service.prune(PruneFilter.none()));
        assertEquals(List.of("bridge", "host", "none"), f.service.list(NetworkFilter.none()).stream()
                .map(Network::name).toList());
        List<String> actions = actions();
        assertEquals(List.of("destroy old", "prune {reclaimed=0}"), actions.subList(3, 5));
        Event prune = f.events.replay(0, Long.MAX_VALUE, e -> e.action() == Event.Action.PRUNE).getFirst();
        assertEquals("", prune.actorId());
    }

    @Test
    void pruneFilterRejectsUnknownKeysAndTwoUntils() {
        assertEquals("invalid filter 'dangling'", assertThrows(InvalidParameterException.class,
                () -> new PruneFilter(Map.of("dangling", Set.of("true")))).getMessage());
        assertEquals("more than one until filter specified", assertThrows(InvalidParameterException.class,
                () -> new PruneFilter(Map.of("until", Set.of("1h", "2h")))).getMessage());
        assertThrows(InvalidParameterException.class, () -> new PruneFilter(Map.of("until", Set.of("yesterday"))));
    }

    @Test
    void concurrentPruneIsAConflict() throws Exception {
        f.service.create(CreateNetwork.named("slow"));
        AtomicInteger nested = new AtomicInteger();
        f.bridge.onDelete = () -> {
            ConflictException e = assertThrows(ConflictException.class, () -> f.service.prune(PruneFilter.none()));
            assertEquals("a prune operation is already running", e.getMessage());
            nested.incrementAndGet();
        };
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            assertEquals(List.of("slow"), pool.submit(() -> f.service.prune(PruneFilter.none())).get());
        }
        assertEquals(1, nested.get());
    }

    @Test
    void fiftyParallelCreatesGetFiftyDistinctSubnets() throws Exception {
        Fixture many = new Fixture(List.of(dev.berth.core.ipam.PoolSpec.of("10.0.0.0/16", 24)));
        List<Callable<Network>> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = "n" + i;
            tasks.add(() -> many.service.create(CreateNetwork.named(name)).network());
        }
        Set<IpPrefix> subnets = new HashSet<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Network> result : pool.invokeAll(tasks)) {
                subnets.add(result.get().ipam().pools().getFirst().subnet());
            }
        }
        assertEquals(50, subnets.size());
        assertEquals(53, many.store.networks.size());
    }

    @Test
    void fiftyParallelCreatesOfOneNameGiveOneSuccess() throws Exception {
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tasks.add(() -> {
                try {
                    f.service.create(CreateNetwork.named("same"));
                    return "ok";
                } catch (ConflictException e) {
                    return e.getMessage();
                }
            });
        }
        List<String> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<String> result : pool.invokeAll(tasks)) {
                outcomes.add(result.get());
            }
        }
        assertEquals(1, outcomes.stream().filter("ok"::equals).count());
        assertEquals(49, outcomes.stream().filter("network with name same already exists"::equals).count());
    }
}
