package dev.berth.core.service.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InternalException;
import dev.berth.core.model.Network;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.event.Event;
import dev.berth.core.spi.KernelDrift;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Reconciler}: a cheap check each pass, the start-up code as repair, events, and no busy retry. */
class ReconcilerTest {
    private final Fixture f = new Fixture();
    private final Reconciler reconciler = new Reconciler(f.state, f.service, f.sandboxes);
    private final List<Event> seen = new ArrayList<>();

    ReconcilerTest() {
        f.events.subscribe(seen::add);
    }

    @Test
    void noDriftChangesNothing() {
        f.service.create(Fixture.withPools("net1"));
        f.sandboxes.create(CreateSandbox.on("c1", "net1"));
        f.bridge.calls.clear();
        seen.clear();
        assertEquals(List.of(), reconciler.pass());
        assertEquals(List.of("drift 2 1"), f.bridge.calls);
        assertEquals(List.of(), seen);
    }

    @Test
    void driftIsRepairedByTheStartUpCodeAndReportedPerNetwork() {
        Network net1 = f.service.create(Fixture.withPools("net1")).network();
        f.sandboxes.create(CreateSandbox.on("c1", "net1"));
        f.bridge.calls.clear();
        seen.clear();
        f.bridge.drift.add(new KernelDrift(net1.id(), "bridge br-x missing"));
        assertEquals(1, reconciler.pass().size());
        List<String> calls = f.bridge.calls.stream().filter(c -> !c.startsWith("route")).toList();
        assertEquals(List.of("drift 2 1", "restore 1", "drift 2 1"), calls.stream().filter(c -> !c.startsWith("ensure")).toList());
        assertEquals(Set.of("ensure bridge", "ensure net1"), Set.copyOf(calls.subList(1, 3)), calls::toString);
        assertEquals(1, seen.size(), seen::toString);
        Event event = seen.getFirst();
        assertEquals(Event.Type.NETWORK, event.type());
        assertEquals(Reconciler.ACTION, event.action());
        assertEquals(net1.id().value(), event.actorId());
        assertEquals(Map.of("name", "net1", "type", "bridge", "repaired", "bridge br-x missing"), event.attributes());
    }

    @Test
    void driftARepairCannotFixIsNotRetriedEveryPassAndFailuresAreReported() {
        f.service.create(Fixture.withPools("net1"));
        f.sandboxes.create(CreateSandbox.on("c1", "net1"));
        f.bridge.restoreRepairs = false;
        f.bridge.failRestore = new InternalException("namespace gone");
        f.bridge.drift.add(new KernelDrift(null, "veth v of c1 (eth0) missing"));
        seen.clear();
        reconciler.pass();
        f.bridge.calls.clear();
        reconciler.pass();
        assertEquals(List.of("drift 2 1"), f.bridge.calls, "no second repair within the retry delay");
        assertEquals(1, seen.size(), seen::toString);
        assertTrue(seen.getFirst().attributes().get("failed").contains("namespace gone"), seen::toString);
    }

    @Test
    void auditReportsDriftAndMissingElementsAndRepairsNothing() {
        Network net1 = f.service.create(Fixture.withPools("net1")).network();
        f.sandboxes.create(new CreateSandbox("c1", "", "net1", Map.of(), List.of(new PortRequest("80/tcp", "", "8080"))));
        f.bridge.calls.clear();
        seen.clear();
        f.bridge.drift.add(new KernelDrift(net1.id(), "bridge br-x missing"));
        f.firewall.missing.add(new KernelDrift(net1.id(), "firewall: element \"br-x\" missing from set inet berth bridges"));
        assertEquals(List.of("bridge br-x missing", "firewall: element \"br-x\" missing from set inet berth bridges"),
                reconciler.audit().stream().map(KernelDrift::description).toList());
        assertEquals(List.of("drift 2 1"), f.bridge.calls, "no repair");
        assertTrue(f.firewall.calls().contains("missing 4 1"), f.firewall.calls()::toString);
        assertEquals(List.of(), seen);
    }

    @Test
    void theKernelIsReadWithoutTheWriteLockSoChangesGoOnMeanwhile() throws Exception {
        f.service.create(Fixture.withPools("net1"));
        f.sandboxes.create(CreateSandbox.on("c1", "net1"));
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch changed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean changeDoneWhileReading = new java.util.concurrent.atomic.AtomicBoolean();
        f.bridge.whileDriftReads = () -> {
            reading.countDown();
            try {
                // a change by another thread completes while this pass reads the kernel
                changeDoneWhileReading.set(changed.await(30, java.util.concurrent.TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread pass = Thread.ofPlatform().start(reconciler::pass);
        assertTrue(reading.await(30, java.util.concurrent.TimeUnit.SECONDS));
        Thread change = Thread.ofPlatform().start(() -> {
            f.sandboxes.create(CreateSandbox.on("c2", "net1"));
            changed.countDown();
        });
        change.join(30_000);
        pass.join(30_000);
        assertTrue(changeDoneWhileReading.get(), "the change waited for the pass");
        assertEquals("c2", f.sandboxes.resolve("c2").name());
    }

    @Test
    void driftReadWhileAChangeBeganIsNotRepairedUntilAQuietOrLockedPassSeesIt() {
        f.service.create(Fixture.withPools("net1"));
        f.sandboxes.create(CreateSandbox.on("c1", "net1"));
        f.bridge.drift.add(new KernelDrift(null, "veth v of c1 (eth0) missing"));
        // each pass's reading overlaps a change: what it saw may be that change half-made
        f.bridge.whileDriftReads = () -> f.state.update(() -> { });
        f.bridge.calls.clear();
        seen.clear();
        for (int i = 0; i < Reconciler.MAX_INCONCLUSIVE; i++) {
            assertEquals(List.of(), reconciler.pass(), "pass " + i + " is inconclusive");
        }
        assertEquals(List.of(), seen);
        assertTrue(f.bridge.calls.stream().noneMatch(c -> c.startsWith("restore")), f.bridge.calls::toString);
        // then a pass reads under the lock (no change can overlap it) and repairs
        f.bridge.whileDriftReads = () -> { };
        assertEquals(1, reconciler.pass().size());
        assertTrue(f.bridge.calls.contains("restore 1"), f.bridge.calls::toString);
        assertEquals(1, seen.size(), seen::toString);
    }
}
