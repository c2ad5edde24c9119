package dev.berth.core.service.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.event.Event;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.spi.ProcessLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Containers made from images: create, start, stop, kill, restart, rename, wait, restart policies, remove, restore. */
class ContainerLifecycleTest {
    private final Fixture f = new Fixture();
    private final SandboxProcessesTest.FakeLauncher launcher = new SandboxProcessesTest.FakeLauncher();
    private final FakeImageStore images = new FakeImageStore().add(FakeImageStore.BUSYBOX);
    /** Restarts the policies asked for, with their delays, run by hand. */
    private final List<Long> delays = new ArrayList<>();
    private final List<Runnable> pending = new ArrayList<>();
    private final SandboxProcesses processes = processes();

    private SandboxProcesses processes() {
        return new SandboxProcesses(f.state, f.sandboxes, launcher, images, (delay, task) -> {
            delays.add(delay);
            pending.add(task);
        });
    }

    private void runRestarts() {
        List<Runnable> now = List.copyOf(pending);
        pending.clear();
        now.forEach(Runnable::run);
    }

    private Sandbox create(String name, ContainerRequest request) {
        return processes.create(new CreateSandbox(name, "", "", Map.of()), request);
    }

    private Sandbox create(String name, List<String> cmd) {
        return create(name, ContainerRequest.of("busybox", cmd));
    }

    private Sandbox withPolicy(String name, String policy, int max) {
        return create(name, ContainerRequest.of("busybox", List.of("sh", "-c", "exit 3"))
                .with(ContainerRequest.Host.restart(policy, max, false)));
    }

    private long pid(Sandbox s) {
        return processes.state(s.id()).pid();
    }

    @Test
    void createFromAnImageStoresItsConfigAndStartRunsItOnTheMountedRootfs() {
        Sandbox s = create("c1", (List<String>) null);
        ProcessState created = processes.state(s.id());
        assertEquals(ProcessState.Status.CREATED, created.status());
        assertEquals(List.of("sh"), created.command());
        assertEquals(FakeImageStore.BUSYBOX.id(), created.container().imageId());
        SandboxCommand stored = f.store.commands.get(s.id());
        assertEquals(created.container(), stored.container());
        assertTrue(processes.start("c1"));
        ProcessLauncher.Launch launch = launcher.launched.getFirst();
        assertEquals(List.of("sh"), launch.command());
        assertEquals(created.container(), launch.container());
        assertEquals(images.mounted.get(s.id()), launch.rootfs());
        assertFalse(processes.start("c1"), "a running container: 304");
        assertEquals(Map.of(FakeImageStore.BUSYBOX.id(), s.id().value()), processes.imagesInUse());
    }

    @Test
    void aMissingImageIs404WithMobysTextAndNothingElseIs() {
        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> create("c1", ContainerRequest.of("alpine", null)));
        assertEquals("No such image: alpine:latest", missing.getMessage());
        assertEquals("No such image: 127.0.0.1:5000/x:latest",
                assertThrows(NotFoundException.class, () -> create("c1",
                        ContainerRequest.of("127.0.0.1:5000/x", null))).getMessage());
        assertEquals("No such image: busybox:1", assertThrows(NotFoundException.class,
                () -> create("c1", ContainerRequest.of("docker.io/library/busybox:1", null))).getMessage());
        InvalidParameterException network = assertThrows(InvalidParameterException.class, () ->
                processes.create(new CreateSandbox("c1", "", "nosuch", Map.of()), ContainerRequest.of("busybox", null)));
        assertEquals("network nosuch not found", network.getMessage());
        InvalidParameterException bad = assertThrows(InvalidParameterException.class, () -> create("c1",
                ContainerRequest.of("alpine", null).with(ContainerRequest.Host.restart("always", 0, true))));
        assertEquals("can't create 'AutoRemove' container with restart policy", bad.getMessage(),
                "bad values are 400 even when the image is missing");
        assertTrue(f.sandboxes.list().isEmpty());
        assertTrue(f.store.commands.isEmpty());
    }

    @Test
    void anEmptyImageIsAnImagelessSandboxAsBefore() {
        Sandbox hostBinary = create("r1", ContainerRequest.of("", List.of("sleep", "9")));
        assertNull(processes.state(hostBinary.id()).container());
        processes.start("r1");
        assertNull(launcher.launched.getFirst().container());
        assertEquals("", launcher.launched.getFirst().rootfs());
        Sandbox none = create("n1", ContainerRequest.of("", null));
        assertTrue(processes.state(none.id()).isRunning());
    }

    @Test
    void stopSendsTheStopSignalThenKillsAfterTheTimeout() throws Exception {
        Sandbox s = create("c1", ContainerRequest.of("busybox", List.of("sleep", "1000")));
        processes.start("c1");
        assertTrue(processes.stop("c1", 0, ""), "nothing traps TERM here: SIGKILL after 0 s");
        assertEquals(List.of(s.id().value() + ":15"), launcher.signals);
        ProcessState state = processes.state(s.id());
        assertEquals(ProcessState.Status.EXITED, state.status());
        assertEquals(137, state.exitCode());
        assertFalse(processes.stop("c1", 0, ""), "not running: 304");
        assertTrue(f.store.commands.get(s.id()).stoppedByUser());
        processes.start("c1");
        assertFalse(f.store.commands.get(s.id()).stoppedByUser(), "a start clears it");
        launcher.exitOnSignal.put(2, 130);
        assertTrue(processes.stop("c1", 10, "SIGINT"));
        assertEquals(130, processes.state(s.id()).exitCode());
        assertEquals("Invalid signal: NOPE", assertThrows(InvalidParameterException.class,
                () -> processes.stop("c1", 1, "NOPE")).getMessage());
    }

    @Test
    void theImagesStopSignalIsSentByStop() throws Exception {
        images.add(new dev.berth.core.spi.ImageStore.Image("sha256:" + "d".repeat(64), List.of("nginx:latest"),
                List.of(), List.of("nginx"), List.of(), "", "", Map.of(), "SIGQUIT", List.of("80/tcp")));
        Sandbox s = create("web", ContainerRequest.of("nginx", null));
        processes.start("web");
        launcher.exitOnSignal.put(3, 0);
        processes.stop("web", null, "");
        assertEquals(List.of(s.id().value() + ":3"), launcher.signals);
        assertEquals(0, processes.state(s.id()).exitCode());
    }

    @Test
    void killSendsAnySignalAndRefusesWhatIsNotRunningOrUnknown() {
        Sandbox s = create("c1", List.of("sleep", "1000"));
        assertEquals("Cannot kill container: c1: container " + s.id().value() + " is not running",
                assertThrows(ConflictException.class, () -> processes.kill("c1", "TERM")).getMessage());
        processes.start("c1");
        processes.kill("c1", "HUP");
        processes.kill("c1", "10");
        assertEquals(List.of(s.id().value() + ":1", s.id().value() + ":10"), launcher.signals);
        assertTrue(processes.state(s.id()).isRunning());
        assertEquals("Invalid signal: SIGFOO",
                assertThrows(InvalidParameterException.class, () -> processes.kill("c1", "SIGFOO")).getMessage());
        assertEquals("Invalid signal: SIGFOO",
                assertThrows(InvalidParameterException.class, () -> processes.kill("nosuch", "SIGFOO")).getMessage(),
                "the signal is checked first, as moby does");
        launcher.exitOnSignal.put(15, 143);
        processes.kill("c1", "TERM");
        assertEquals(143, processes.state(s.id()).exitCode());
        processes.start("c1");
        processes.kill("c1", "");
        assertEquals(137, processes.state(s.id()).exitCode());
    }

    @Test
    void restartStopsAndStartsAgain() throws Exception {
        Sandbox s = create("c1", List.of("sleep", "1000"));
        processes.restart("c1", 0, "");
        assertEquals(1, launcher.launched.size(), "a container that did not run is just started");
        long first = pid(s);
        processes.restart("c1", 0, "");
        assertEquals(2, launcher.launched.size());
        assertTrue(pid(s) != first);
        assertTrue(processes.state(s.id()).isRunning());
    }

    @Test
    void renameMovesTheNameAndTheFilesOfARunningProcessFollow() {
        f.service.create(CreateNetwork.named("usernet"));
        Sandbox s = processes.create(new CreateSandbox("c1", "", "usernet", Map.of()), ContainerRequest.of("busybox",
                List.of("sleep", "1000")));
        create("c2", (List<String>) null);
        processes.start("c1");
        assertEquals("Conflict. The container name \"/c2\" is already in use by container \""
                + f.sandboxes.resolve("c2").id() + "\". You have to remove (or rename) that container to be able to"
                + " reuse that name.", assertThrows(ConflictException.class, () -> processes.rename("c1", "c2"))
                .getMessage());
        assertEquals("Renaming a container with the same name as its current name",
                assertThrows(InvalidParameterException.class, () -> processes.rename("c1", "c1")).getMessage());
        assertThrows(InvalidParameterException.class, () -> processes.rename("c1", "bad name"));
        processes.rename("c1", "web");
        assertEquals(s.id(), f.sandboxes.resolve("web").id());
        assertThrows(NotFoundException.class, () -> f.sandboxes.resolve("c1"));
        assertEquals("web", f.store.sandboxes.get(s.id()).name());
        assertEquals("web", launcher.updates.getLast().name());
        try (EventLog.Subscription events = f.events.subscribe(e -> { })) {
            Event rename = events.backlog().stream().filter(e -> e.action() == Event.Action.RENAME).findFirst()
                    .orElseThrow();
            assertEquals(Map.of("name", "web", "oldName", "/c1", "image", "busybox"), rename.attributes());
            List<String> c1 = events.backlog().stream().filter(e -> e.actorId().equals(s.id().value())
                    && e.type() == Event.Type.CONTAINER).map(e -> e.action().wire() + ":" + e.attributes().get("image"))
                    .toList();
            assertEquals(List.of("create:busybox", "start:busybox", "rename:busybox"), c1);
        }
        processes.kill("web", "");
        processes.remove("web", false);
        assertTrue(f.sandboxes.list().stream().noneMatch(v -> v.sandbox().id().equals(s.id())));
        try (EventLog.Subscription events = f.events.subscribe(e -> { })) {
            List<String> last = events.backlog().stream().filter(e -> e.actorId().equals(s.id().value())
                    && e.type() == Event.Type.CONTAINER).map(e -> e.action().wire() + ":" + e.attributes().get("image"))
                    .toList();
            assertEquals(List.of("die:busybox", "destroy:busybox"), last.subList(last.size() - 2, last.size()));
        }
    }

    @Test
    void waitConditionsAreRegisteredAtOnce() throws Exception {
        Sandbox s = create("c1", List.of("sleep", "1000"));
        assertEquals(0, processes.waiter("c1", "not-running").getNow(-1), "a created container is not running");
        CompletableFuture<Integer> next = processes.waiter("c1", "next-exit");
        CompletableFuture<Integer> removed = processes.waiter("c1", "removed");
        processes.start("c1");
        CompletableFuture<Integer> notRunning = processes.waiter("c1", "");
        assertFalse(next.isDone() || notRunning.isDone());
        launcher.exit(pid(s), 4);
        assertEquals(4, next.getNow(-1));
        assertEquals(4, notRunning.getNow(-1));
        assertFalse(removed.isDone());
        CompletableFuture<Integer> again = processes.waiter("c1", "next-exit");
        assertFalse(again.isDone(), "next-exit of an exited container waits for its next run");
        processes.remove("c1", false);
        assertEquals(4, removed.getNow(-1));
        create("c2", List.of("true"));
        assertEquals("invalid condition: \"sometime\"", assertThrows(InvalidParameterException.class,
                () -> processes.waiter("c2", "sometime")).getMessage());
    }

    @Test
    void onFailureRestartsWithBackOffAtMostNTimes() {
        Sandbox s = withPolicy("c1", "on-failure", 2);
        processes.start("c1");
        CompletableFuture<Integer> notRunning = processes.waiter("c1", "not-running");
        launcher.exit(pid(s), 3);
        ProcessState restarting = processes.state(s.id());
        assertEquals(ProcessState.Status.RESTARTING, restarting.status());
        assertEquals(1, restarting.restartCount());
        assertFalse(notRunning.isDone(), "restarting counts as running");
        runRestarts();
        assertTrue(processes.state(s.id()).isRunning());
        launcher.exit(pid(s), 3);
        runRestarts();
        launcher.exit(pid(s), 3);
        assertEquals(List.of(100L, 200L), delays);
        ProcessState done = processes.state(s.id());
        assertEquals(ProcessState.Status.EXITED, done.status());
        assertEquals(2, done.restartCount());
        assertEquals(2, f.store.commands.get(s.id()).restartCount());
        assertEquals(3, notRunning.getNow(-1));
        Sandbox ok = withPolicy("c2", "on-failure", 0);
        processes.start("c2");
        launcher.exit(pid(ok), 0);
        assertEquals(ProcessState.Status.EXITED, processes.state(ok.id()).status(), "success: no restart");
    }

    @Test
    void alwaysRestartsUntilStoppedAndTheDelayResetsAfterTenSecondsUp() throws Exception {
        Sandbox s = withPolicy("c1", "always", 0);
        processes.start("c1");
        for (int i = 0; i < 3; i++) {
            launcher.exit(pid(s), 0);
            runRestarts();
        }
        f.clock.advanceSeconds(11);
        launcher.exit(pid(s), 0);
        runRestarts();
        assertEquals(List.of(100L, 200L, 400L, 100L), delays);
        assertEquals(4, processes.state(s.id()).restartCount());
        processes.stop("c1", 0, "");
        assertEquals(ProcessState.Status.EXITED, processes.state(s.id()).status(), "docker stop: no restart");
        assertTrue(pending.isEmpty());
        processes.start("c1");
        assertEquals(0, processes.state(s.id()).restartCount(), "a start resets the count");
        launcher.exit(pid(s), 1);
        assertEquals("Cannot kill container: c1: Container " + s.id().value() + " is restarting, wait until the"
                + " container is running", assertThrows(ConflictException.class, () -> processes.kill("c1", ""))
                .getMessage());
        processes.stop("c1", 0, "");
        runRestarts();
        assertEquals(ProcessState.Status.EXITED, processes.state(s.id()).status(), "stopped while restarting");
    }

    @Test
    void unlessStoppedAndAlwaysAtDaemonStart() throws Exception {
        Sandbox always = withPolicy("a1", "always", 0);
        Sandbox stoppedAlways = withPolicy("sa", "always", 0);
        Sandbox unless = withPolicy("u1", "unless-stopped", 0);
        Sandbox stoppedUnless = withPolicy("su", "unless-stopped", 0);
        Sandbox never = withPolicy("n1", "no", 0);
        Sandbox failed = withPolicy("f1", "on-failure", 0);
        for (String name : List.of("a1", "sa", "u1", "su", "n1", "f1")) {
            processes.start(name);
        }
        processes.stop("sa", 0, "");
        processes.stop("su", 0, "");
        // the daemon goes; its processes end while none runs
        java.time.Instant then = java.time.Instant.parse("2026-01-02T03:04:05Z");
        for (Sandbox s : List.of(always, stoppedAlways, unless, stoppedUnless, never)) {
            launcher.adoptable.put(s.id(), new ProcessLauncher.Adopted(false, 0, 137, then, then.plusSeconds(1)));
        }
        launcher.adoptable.put(failed.id(), new ProcessLauncher.Adopted(false, 0, 3, then, then.plusSeconds(1)));
        launcher.launched.clear();
        SandboxProcesses after = new SandboxProcesses(f.state, f.sandboxes, launcher, images, (d, t) -> { });
        after.restore();
        List<String> started = launcher.launched.stream().map(ProcessLauncher.Launch::name).sorted().toList();
        assertEquals(List.of("a1", "f1", "sa", "u1"), started);
        assertTrue(after.state(always.id()).isRunning());
        assertEquals(ProcessState.Status.EXITED, after.state(stoppedUnless.id()).status());
        assertEquals(ProcessState.Status.EXITED, after.state(never.id()).status());
        assertTrue(after.state(unless.id()).isRunning());
        assertTrue(after.state(stoppedAlways.id()).isRunning(), "always: started again with the daemon, as moby");
        assertEquals(Set6.of(always, stoppedAlways, unless, stoppedUnless, never, failed), images.kept.getLast());
    }

    /** The ids of sandboxes. */
    private static final class Set6 {
        static java.util.Set<dev.berth.core.model.SandboxId> of(Sandbox... s) {
            return java.util.Arrays.stream(s).map(Sandbox::id).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void autoRemoveAndRemoveReleaseTheRootfs() {
        Sandbox gone = create("rm1", ContainerRequest.of("busybox", List.of("true"))
                .with(ContainerRequest.Host.restart("", 0, true)));
        processes.start("rm1");
        assertTrue(images.mounted.containsKey(gone.id()));
        launcher.exit(pid(gone), 0);
        assertThrows(NotFoundException.class, () -> f.sandboxes.resolve("rm1"));
        assertEquals(List.of(gone.id()), images.released);
        Sandbox forced = create("c1", List.of("sleep", "1000"));
        processes.start("c1");
        assertThrows(ConflictException.class, () -> processes.remove("c1", false));
        processes.remove("c1", true);
        assertEquals(List.of(gone.id(), forced.id()), images.released);
        assertTrue(images.mounted.isEmpty());
        assertEquals(Map.of(), processes.imagesInUse());
    }

    @Test
    void aStartTheRuntimeRefusesKeepsItsErrorAndDockersExitCode() {
        Sandbox s = create("c1", List.of("nosuch"));
        launcher.failStart = new InternalException("runc create failed: unable to start container process: exec:"
                + " \"nosuch\": executable file not found in $PATH");
        CompletableFuture<Integer> next = processes.waiter("c1", "next-exit");
        assertThrows(InternalException.class, () -> processes.start("c1"));
        assertEquals(127, next.getNow(-1), "docker run's wait ends too");
        ProcessState state = processes.state(s.id());
        assertEquals(ProcessState.Status.CREATED, state.status());
        assertEquals(127, state.exitCode());
        assertTrue(state.error().contains("executable file not found"), state.error());
        launcher.failStart = null;
        processes.start("c1");
        assertEquals("", processes.state(s.id()).error());
        Sandbox rm = create("rm1", ContainerRequest.of("busybox", List.of("nosuch"))
                .with(ContainerRequest.Host.restart("", 0, true)));
        CompletableFuture<Integer> removed = processes.waiter("rm1", "removed");
        launcher.failStart = new InternalException("exec: \"nosuch\": executable file not found in $PATH");
        assertThrows(InternalException.class, () -> processes.start("rm1"));
        assertThrows(NotFoundException.class, () -> f.sandboxes.resolve("rm1"), "--rm: removed after a failed start");
        assertEquals(127, removed.getNow(-1));
        assertTrue(images.released.contains(rm.id()));
    }

    @Test
    void theStoredConfigSurvivesARestartOfTheDaemon() {
        Sandbox s = create("c1", new ContainerRequest("busybox", List.of("top"), null, List.of("A=1"), "/tmp", "1",
                "", true, true, true, false, false, false, Map.of("k", "v"), "", 3, List.of(),
                ContainerRequest.Host.restart("unless-stopped", 0, false)));
        ContainerConfig before = processes.state(s.id()).container();
        SandboxProcesses after = new SandboxProcesses(f.state, f.sandboxes, launcher, images, (d, t) -> { });
        after.restore();
        assertEquals(before, after.state(s.id()).container());
        assertEquals(List.of("A=1", FakeImageStore.BUSYBOX.env().getFirst()), before.env());
    }
}
