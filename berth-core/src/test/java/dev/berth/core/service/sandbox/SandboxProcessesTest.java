package dev.berth.core.service.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.event.Event;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.network.BridgeIpam;
import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.service.network.DefaultBridgeSettings;
import dev.berth.core.service.network.NetworkSettings;
import dev.berth.core.service.network.PoolRequest;
import dev.berth.core.spi.ProcessLauncher.FilesUpdate;
import dev.berth.core.spi.ProcessLauncher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

class SandboxProcessesTest {
    private final Fixture f = new Fixture();
    private final FakeLauncher launcher = new FakeLauncher();
    private final SandboxProcesses processes = new SandboxProcesses(f.state, f.sandboxes, launcher);

    /** Records launches; tests end processes by hand. */
    static final class FakeLauncher implements ProcessLauncher {
        final List<Launch> launched = new ArrayList<>();
        final Map<Long, IntConsumer> live = new HashMap<>();
        final Map<SandboxId, Long> pids = new HashMap<>();
        final Map<SandboxId, Adopted> adoptable = new HashMap<>();
        final List<SandboxId> deleted = new ArrayList<>();
        final List<String> swept = new ArrayList<>();
        final List<FilesUpdate> updates = new ArrayList<>();
        boolean failUpdates;
        /** When set, {@link #kill} kills and then throws it: the daemon dying right after the kill. */
        RuntimeException crashAfterKill;
        long nextPid = 100;

        @Override
        public synchronized long start(Launch launch, IntConsumer onExit) {
            if (failStart != null) {
                throw failStart;
            }
            launched.add(launch);
            live.put(nextPid, onExit);
            pids.put(launch.id(), nextPid);
            return nextPid++;
        }

        final List<String> signals = new ArrayList<>();
        /** Signal number to the exit status a process gives when it gets it (it traps or dies); others are ignored. */
        final Map<Integer, Integer> exitOnSignal = new HashMap<>();
        /** When set, {@link #start} fails with it (what runc reports for a command that does not exist). */
        RuntimeException failStart;

        @Override
        public void signal(SandboxId id, int signal) {
            IntConsumer onExit;
            synchronized (this) {
                signals.add(id.value() + ":" + signal);
                onExit = exitOnSignal.containsKey(signal) ? live.remove(pids.getOrDefault(id, -1L)) : null;
            }
            if (onExit != null) {
                onExit.accept(exitOnSignal.get(signal));
            }
        }

        void exit(long pid, int status) {
            live.remove(pid).accept(status);
        }

        @Override
        public synchronized void updateFiles(FilesUpdate update) {
            if (failUpdates) {
                throw new InternalException("update files of sandbox " + update.name() + ": disk full");
            }
            updates.add(update);
        }

        @Override
        public synchronized Adopted adopt(SandboxId id, IntConsumer onExit) {
            Adopted found = adoptable.getOrDefault(id, new Adopted(false, 0, UNKNOWN_EXIT, null, null));
            if (found.running()) {
                live.put(found.pid(), onExit);
            }
            return found;
        }

        @Override
        public void kill(SandboxId id) {
            IntConsumer onExit = live.remove(pids.getOrDefault(id, -1L));
            if (onExit != null) {
                onExit.accept(137);
            }
            if (crashAfterKill != null) {
                throw crashAfterKill;
            }
        }

        final List<java.util.Set<SandboxId>> others = new ArrayList<>();

        @Override
        public void removeOthers(java.util.Set<SandboxId> known) {
            others.add(known);
        }

        @Override
        public void killInNamespace(String netnsPath) {
            swept.add(netnsPath);
        }

        @Override
        public String logPath(SandboxId id) {
            return "/logs/" + id.value();
        }

        @Override
        public void deleteFiles(SandboxId id) {
            deleted.add(id);
        }
    }

    private Sandbox run(String name, boolean autoRemove, String... argv) {
        Sandbox s = processes.create(new CreateSandbox(name, "h-" + name, "", Map.of()), List.of(argv), autoRemove);
        processes.start(name);
        return s;
    }

    @Test
    void startLaunchesInTheSandboxWithItsAddressesAndExitIsRecorded() throws Exception {
        Sandbox s = run("c1", false, "sleep", "9");
        ProcessLauncher.Launch launch = launcher.launched.getFirst();
        assertEquals(List.of("sleep", "9"), launch.command());
        assertEquals("h-c1", launch.hostname());
        assertEquals(s.netnsPath(), launch.netnsPath());
        assertEquals(List.of("172.17.0.2"), launch.addresses());
        ProcessState state = processes.state(s.id());
        assertTrue(state.isRunning());
        assertEquals(100, state.pid());
        launcher.exit(100, 3);
        assertEquals(3, processes.await("c1", ""));
        try (EventLog.Subscription events = f.events.subscribe(e -> { })) {
            List<String> actions = events.backlog().stream().filter(e -> e.type() == Event.Type.CONTAINER)
                    .map(e -> e.action().wire() + e.attributes().getOrDefault("exitCode", "")).toList();
            assertEquals(List.of("create", "start", "die3"), actions);
        }
        assertEquals(ProcessState.Status.EXITED, processes.state(s.id()).status());
        assertEquals(0, processes.state(s.id()).pid());
        assertEquals("c1", processes.remove("c1", false).name());
        assertEquals(List.of(s.id()), launcher.deleted);
    }

    @Test
    void autoRemoveRemovesTheSandboxWhenTheProcessExits() throws Exception {
        run("c1", true, "true");
        launcher.exit(100, 0);
        assertThrows(NotFoundException.class, () -> f.sandboxes.resolve("c1"));
        assertTrue(f.store.commands.isEmpty());
    }

    @Test
    void removingARunningProcessNeedsForceAndKillsIt() throws Exception {
        run("c1", false, "sleep", "9");
        assertThrows(ConflictException.class, () -> processes.remove("c1", false));
        processes.remove("c1", true);
        assertTrue(launcher.live.isEmpty());
        assertThrows(NotFoundException.class, () -> f.sandboxes.resolve("c1"));
    }

    @Test
    void killEndsTheProcessAndKeepsTheSandbox() throws Exception {
        Sandbox s = run("c1", false, "sleep", "9");
        processes.kill("c1");
        assertEquals(137, processes.await("c1", "not-running"));
        assertEquals(ProcessState.Status.EXITED, processes.state(s.id()).status());
        assertThrows(ConflictException.class, () -> processes.kill("c1"));
    }

    @Test
    void sandboxesWithoutACommandStayLiveAndStartIsANoOp() {
        Sandbox s = processes.create(CreateSandbox.on("c1", "bridge"), List.of(), false);
        processes.start("c1");
        assertTrue(launcher.launched.isEmpty());
        assertTrue(processes.state(s.id()).isRunning());
        assertThrows(ConflictException.class, () -> processes.remove("c1", false));
        assertFalse(processes.logPath("c1").isPresent());
    }

    @Test
    void restoreMarksStoredCommandsExitedAndRemovesAutoRemoveOnes() {
        Sandbox kept = run("kept", false, "sleep", "9");
        Sandbox gone = run("gone", true, "sleep", "9");
        // started, then their monitors died with them: no exit status recorded
        java.time.Instant started = java.time.Instant.parse("2026-01-02T03:04:05Z");
        launcher.adoptable.put(kept.id(), new ProcessLauncher.Adopted(false, 0, ProcessLauncher.UNKNOWN_EXIT, started,
                null));
        launcher.adoptable.put(gone.id(), new ProcessLauncher.Adopted(false, 0, ProcessLauncher.UNKNOWN_EXIT, started,
                null));
        SandboxProcesses after = new SandboxProcesses(f.state, f.sandboxes, launcher);
        after.restore();
        assertEquals(2, launcher.swept.size());
        ProcessState state = after.state(kept.id());
        assertEquals(ProcessState.Status.EXITED, state.status());
        assertEquals(SandboxProcesses.UNKNOWN_EXIT, state.exitCode());
        assertThrows(NotFoundException.class, () -> f.sandboxes.resolve("gone"));
    }

    @Test
    void aCommandNeverStartedIsStillCreatedAfterARestart() {
        Sandbox created = processes.create(CreateSandbox.on("c1", "bridge"), List.of("sleep", "9"), true);
        SandboxProcesses after = new SandboxProcesses(f.state, f.sandboxes, launcher);
        after.restore();
        assertEquals(ProcessState.Status.CREATED, after.state(created.id()).status(), "not removed, not exited");
        after.start("c1");
        assertTrue(after.state(created.id()).isRunning());
    }

    @Test
    void aRemovalCutShortAfterTheKillIsFinishedAtTheNextStart() {
        Sandbox s = run("c1", false, "sleep", "9");
        launcher.crashAfterKill = new IllegalStateException("daemon killed here");
        assertThrows(IllegalStateException.class, () -> processes.remove("c1", true));
        assertEquals(s, f.sandboxes.resolve("c1"), "cut short: the sandbox is still there");
        launcher.adoptable.put(s.id(), new ProcessLauncher.Adopted(false, 0, 137, null, null));
        new SandboxProcesses(f.state, f.sandboxes, launcher).restore();
        assertThrows(NotFoundException.class, () -> f.sandboxes.resolve("c1"));
    }

    @Test
    void restoreAdoptsRunningProcessesAndTheStatusOfThoseThatEndedMeanwhile() throws Exception {
        Sandbox running = run("running", false, "sleep", "9");
        Sandbox ended = run("ended", false, "sleep", "9");
        Sandbox removed = run("removed", true, "sleep", "9");
        java.time.Instant then = java.time.Instant.parse("2026-01-02T03:04:05Z");
        launcher.adoptable.put(running.id(), new ProcessLauncher.Adopted(true, 4242, 0, then, null));
        launcher.adoptable.put(ended.id(), new ProcessLauncher.Adopted(false, 0, 7, then, then.plusSeconds(1)));
        launcher.adoptable.put(removed.id(), new ProcessLauncher.Adopted(false, 0, 0, then, then.plusSeconds(1)));
        SandboxProcesses after = new SandboxProcesses(f.state, f.sandboxes, launcher);
        after.restore();
        ProcessState state = after.state(running.id());
        assertTrue(state.isRunning());
        assertEquals(4242, state.pid());
        assertEquals(then, state.startedAt());
        assertEquals(7, after.state(ended.id()).exitCode());
        assertEquals(then.plusSeconds(1), after.state(ended.id()).finishedAt());
        assertFalse(launcher.swept.contains(running.netnsPath()), "a running process's sandbox is not swept");
        assertTrue(launcher.others.getFirst().containsAll(List.of(running.id(), ended.id())));
        assertTrue(launcher.swept.containsAll(List.of(ended.netnsPath(), removed.netnsPath())));
        assertThrows(NotFoundException.class, () -> f.sandboxes.resolve("removed"));
        launcher.pids.put(running.id(), 4242L);
        after.remove("running", true);
        assertThrows(NotFoundException.class, () -> f.sandboxes.resolve("running"));
        assertFalse(launcher.live.containsKey(4242L), "the adopted process was killed");
    }

    @Test
    void aReloadThatGivesTheDefaultBridgeIpv6PutsTheNewAddressInTheRunningProcessFiles() {
        Sandbox a = run("a1", false, "sleep", "9");
        f.sandboxes.reconfigure(new NetworkSettings(Fixture.ENGINE_ID, List.of(), new DefaultBridgeSettings(BridgeIpam.at(IpPrefix.parse("172.17.0.1/16")),
                Optional.of(new BridgeIpam(Optional.empty(), Optional.of(IpPrefix.parse("2001:db8:1::/80")),
                        Optional.empty())), 1500, true, true, "0.0.0.0")));
        assertEquals(new FilesUpdate(a.id(), "a1", "h-a1", List.of("172.17.0.2", "2001:db8:1::2"), false),
                launcher.updates.getLast());
    }

    @Test
    void anAdoptedRunningProcessGetsTheFilesTheStoredEndpointsWantAndAnExitedOneNone() {
        Sandbox a = run("a1", false, "sleep", "9");
        Sandbox b = run("b1", false, "sleep", "9");
        f.sandboxes.reconfigure(new NetworkSettings(Fixture.ENGINE_ID, List.of(), new DefaultBridgeSettings(BridgeIpam.at(IpPrefix.parse("172.17.0.1/16")),
                Optional.of(new BridgeIpam(Optional.empty(), Optional.of(IpPrefix.parse("2001:db8:1::/80")),
                        Optional.empty())), 1500, true, true, "0.0.0.0")));
        // the daemon was killed after storing the reload, before the files followed: a new one adopts
        launcher.updates.clear();
        launcher.adoptable.put(a.id(), new ProcessLauncher.Adopted(true, 4242, 0, null, null));
        launcher.adoptable.put(b.id(), new ProcessLauncher.Adopted(false, 0, 0, null, null));
        new SandboxProcesses(f.state, f.sandboxes, launcher).restore();
        assertEquals(List.of(new FilesUpdate(a.id(), "a1", "h-a1", List.of("172.17.0.2", "2001:db8:1::2"), false)),
                launcher.updates);
    }

    @Test
    void connectAndDisconnectOfARunningProcessUpdateItsFilesWithTheAddressesNow() {
        Sandbox a = run("a1", false, "sleep", "9");
        f.service.create(Fixture.withPools("usernet", new PoolRequest("10.10.0.0/24", "", "", Map.of())));
        f.sandboxes.connect("usernet", "a1", EndpointRequest.NONE);
        assertEquals(List.of(new FilesUpdate(a.id(), "a1", "h-a1", List.of("172.17.0.2", "10.10.0.2"), true)),
                launcher.updates);
        f.sandboxes.disconnect("usernet", "a1", false);
        assertEquals(new FilesUpdate(a.id(), "a1", "h-a1", List.of("172.17.0.2"), false), launcher.updates.getLast());
        f.sandboxes.disconnect("bridge", "a1", false);
        assertEquals(new FilesUpdate(a.id(), "a1", "h-a1", List.of(), false), launcher.updates.getLast());
    }

    @Test
    void sandboxesWithoutARunningProcessHaveNoFilesToUpdate() {
        f.service.create(CreateNetwork.named("usernet"));
        processes.create(CreateSandbox.on("live", "bridge"), List.of(), false);
        processes.create(CreateSandbox.on("created", "bridge"), List.of("sleep", "9"), false);
        run("ended", false, "true");
        launcher.exit(100, 0);
        for (String name : List.of("live", "created", "ended")) {
            f.sandboxes.connect("usernet", name, EndpointRequest.NONE);
            f.sandboxes.disconnect("usernet", name, false);
        }
        assertTrue(launcher.updates.isEmpty(), launcher.updates::toString);
    }

    @Test
    void aFailedFilesUpdateIsLoggedAndTheConnectStands() {
        run("a1", false, "sleep", "9");
        f.service.create(CreateNetwork.named("usernet"));
        launcher.failUpdates = true;
        f.sandboxes.connect("usernet", "a1", EndpointRequest.NONE);
        assertEquals(List.of("bridge", "usernet"), f.sandboxes.inspect("a1").attachments().stream()
                .map(x -> x.network().name()).toList());
        f.sandboxes.disconnect("usernet", "a1", false);
        assertEquals(1, f.sandboxes.inspect("a1").attachments().size());
    }

    @Test
    void withoutALauncherACommandIsRefused() {
        SandboxProcesses none = SandboxProcesses.withoutProcesses(f.sandboxes, f.clock);
        assertThrows(UnavailableException.class,
                () -> none.create(CreateSandbox.on("c1", "bridge"), List.of("true"), false));
    }
}
