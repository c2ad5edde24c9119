package dev.berth.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real containers: runc 1.1.5 under conmon 2.1.6 on a busybox root filesystem built from
 * Debian's busybox-static. Each test removes what it made and the leak check after it proves
 * that nothing is left: no runc state, no conmon, no files, no mounts.
 */
class RuncContainersIT {
    @TempDir
    static Path shared;
    static Path rootfs;

    @TempDir
    Path execRoot;

    private ConmonLauncher launcher;
    private ContainerIo io;
    private final List<SandboxId> made = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    static void buildRootfs() throws Exception {
        rootfs = shared.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createDirectories(rootfs.resolve("root"));
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        sh("chroot", rootfs.toString(), "/bin/busybox", "--install", "-s", "/bin");
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                app:x:1000:1000:app:/home/app:/bin/sh
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                wheel:x:10:app
                app:x:1000:
                """);
    }

    /** The links busybox made point to /bin/busybox, which JUnit would resolve on the host and warn about. */
    @org.junit.jupiter.api.AfterAll
    static void removeRootfs() throws IOException {
        RuncContainers.deleteTree(rootfs);
    }

    @BeforeEach
    void newLauncher() throws IOException {
        Files.writeString(execRoot.resolve("host-resolv.conf"), "nameserver 198.51.100.53\n");
        launcher = ConmonLauncher.install(execRoot, execRoot.resolve("host-resolv.conf"));
        io = launcher.containerIo();
    }

    @AfterEach
    void removeAndCheckNothingLeft() throws Exception {
        for (SandboxId id : made) {
            launcher.kill(id);
        }
        for (SandboxId id : made) {
            awaitMonitorGone(id);
            launcher.deleteFiles(id);
        }
        for (String ns : namespaces) {
            sh("ip", "netns", "del", ns);
        }
        try (Stream<Path> left = Files.list(execRoot.resolve("runc"))) {
            assertEquals(List.of(), left.toList(), "runc state left");
        } catch (java.nio.file.NoSuchFileException e) {
            // runc never ran
        }
        try (Stream<Path> left = Files.list(execRoot.resolve("sandboxes"))) {
            assertEquals(List.of(), left.toList(), "sandbox directories left");
        }
        try (Stream<Path> left = Files.list(execRoot)) {
            assertEquals(Set.of("berth-runtime", "host-resolv.conf", "runc", "sandboxes"),
                    left.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "files left in the exec root");
        }
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(execRoot.toString()), "mounts left");
        List<Long> conmons = ProcessHandle.allProcesses()
                .filter(p -> Procfs.commandLine(p.pid()).contains(execRoot.toString())).map(ProcessHandle::pid).toList();
        assertEquals(List.of(), conmons, "processes left");
        for (SandboxId id : made) {
            for (String controller : List.of("memory", "pids", "cpu", "devices", "freezer")) {
                assertFalse(Files.exists(Path.of("/sys/fs/cgroup", controller, "berth", id.value())), "cgroup left");
            }
        }
    }

    private void awaitMonitorGone(SandboxId id) throws InterruptedException {
        for (int i = 0; i < 400 && launcher.running(id); i++) {
            Thread.sleep(25);
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void theExitCodeComesBackAndStdoutAndStderrAreSeparateInTheLog() throws Exception {
        Run c = run(config(List.of("sh", "-c", "echo o; echo e >&2; exit 3")), "");
        assertEquals(3, c.exit.get(20, TimeUnit.SECONDS));
        List<ContainerIo.LogEntry> log = new ArrayList<>();
        io.logs(c.id, -1, null, false, log::add);
        assertEquals(List.of("STDOUT:o\n", "STDERR:e\n"), log.stream()
                .map(e -> e.stream() + ":" + new String(e.data(), StandardCharsets.UTF_8)).toList());
        List<ContainerIo.LogEntry> tail = new ArrayList<>();
        io.logs(c.id, 1, null, true, tail::add);
        assertEquals(1, tail.size(), "tail 1, and follow ends since the container has ended");

        Run again = run(c.id, config(List.of("sh", "-c", "echo again; exit 5")), "");
        assertEquals(5, again.exit.get(20, TimeUnit.SECONDS), "the same container starts again");
        assertEquals("o\ne\nagain\n", logText(c.id), "its log goes on");
    }

    @Test
    void followSeesEveryLineWhileTheDaemonRotatesTheLog() throws Exception {
        // 4 bursts of 150 lines (~20 bytes each in the log: 3 KB of output, 9 KB of log) a second and a half apart
        ContainerConfig base = config(List.of("sh", "-c",
                "n=0; for b in 1 2 3 4; do i=0; while [ $i -lt 150 ]; do echo l$n; i=$((i+1)); n=$((n+1)); done; "
                        + "sleep 1.5; done"));
        ContainerConfig cfg = new ContainerConfig(base.image(), base.imageId(), List.of(), base.cmd(), List.of(), "",
                "", false, false, false, List.of(), false, null, List.of(), List.of(), false, null, null, null,
                Map.of(), new ContainerConfig.LogOptions(4000, 3));
        Run c = run(cfg, "");
        List<String> followed = new ArrayList<>();
        io.logs(c.id, -1, null, true, e -> followed.add(new String(e.data(), StandardCharsets.UTF_8).strip()));
        assertEquals(0, c.exit.get(20, TimeUnit.SECONDS));
        List<String> all = java.util.stream.IntStream.range(0, 600).mapToObj(i -> "l" + i).toList();
        assertEquals(all, followed, "follow read every line once, in order, across the rotations");
        Path log = execRoot.resolve("sandboxes").resolve(c.id.value()).resolve(RuncContainers.LOG);
        assertTrue(Files.exists(log.resolveSibling(RuncContainers.LOG + ".1")), "rotated");
        assertFalse(Files.exists(log.resolveSibling(RuncContainers.LOG + ".3")), "max-file 3 keeps 3 files");
        List<String> kept = new ArrayList<>();
        io.logs(c.id, -1, null, false, e -> kept.add(new String(e.data(), StandardCharsets.UTF_8).strip()));
        assertEquals(all.subList(all.size() - kept.size(), all.size()), kept, "what is kept is the end, whole");
        assertTrue(kept.size() < all.size(), "the oldest file was dropped");
    }

    @Test
    void anAttachmentMadeBeforeTheStartMissesNothing() throws Exception {
        SandboxId id = new SandboxId(HexFormat.of().formatHex(randomBytes(32)));
        made.add(id);
        ContainerIo.Attached both = io.attach(id, false, true, true);
        ContainerIo.Attached errOnly = io.attach(id, false, false, true);
        ContainerIo.Attached cancelled = io.attach(id, false, true, true);
        cancelled.close();
        CompletableFuture<String> bothOut = CompletableFuture.supplyAsync(() -> drainQuietly(both, true));
        CompletableFuture<String> errOut = CompletableFuture.supplyAsync(() -> drainQuietly(errOnly, true));
        Run c = run(id, config(List.of("sh", "-c", "echo o; echo e >&2; exit 3")), "");
        assertEquals(3, c.exit.get(20, TimeUnit.SECONDS));
        assertEquals("1:o\n2:e\n", bothOut.get(20, TimeUnit.SECONDS));
        assertEquals("2:e\n", errOut.get(20, TimeUnit.SECONDS));
        assertEquals("", drainQuietly(cancelled, true), "closed before the start: nothing");

        // a start that fails ends a waiting attachment without output
        ContainerIo.Attached failed = io.attach(id, false, true, true);
        CompletableFuture<String> failedOut = CompletableFuture.supplyAsync(() -> drainQuietly(failed, true));
        ContainerConfig missing = config(List.of("nope"));
        org.junit.jupiter.api.Assertions.assertThrows(dev.berth.core.errors.InvalidParameterException.class,
                () -> run(id, missing, ""));
        assertEquals("", failedOut.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aTrappedTermGives143AndKillGives137() throws Exception {
        Run trapped = run(config(List.of("sh", "-c", "trap 'exit 143' TERM; echo ready; sleep 1000 & wait")), "");
        Run sleeper = run(config(List.of("sleep", "1000")), "");
        awaitLog(trapped.id, "ready");
        launcher.signal(trapped.id, 15);
        assertEquals(143, trapped.exit.get(20, TimeUnit.SECONDS));
        launcher.kill(sleeper.id);
        assertEquals(137, sleeper.exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void attachCarriesStdinToCatAndItsOutputBack() throws Exception {
        ContainerConfig cfg = with(config(List.of("cat")), false, true, true);
        SandboxId id = new SandboxId(HexFormat.of().formatHex(randomBytes(32)));
        made.add(id);
        try (ContainerIo.Attached a = io.attach(id, true, true, true)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try {
                    a.output((stream, data, off, len) -> out.write(data, off, len));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    a.input(new ByteArrayInputStream("hi\n".getBytes(StandardCharsets.UTF_8)), true);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Run c = run(id, cfg, "");
            writing.get(20, TimeUnit.SECONDS);
            assertEquals(0, c.exit.get(20, TimeUnit.SECONDS), "cat ends once its stdin is closed");
            reading.get(20, TimeUnit.SECONDS);
            assertEquals("hi\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTtyIsPtsZeroAndAResizeReachesIt() throws Exception {
        Run tty = run(with(config(List.of("tty")), true, false, false), "");
        assertEquals(0, tty.exit.get(20, TimeUnit.SECONDS));
        assertEquals("/dev/pts/0", logText(tty.id).strip());

        Run sized = run(with(config(List.of("sh", "-c", "read x; stty size")), true, true, true), "");
        try (ContainerIo.Attached a = io.attach(sized.id, true, true, true)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try {
                    a.output((stream, data, off, len) -> out.write(data, off, len));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            io.resize(sized.id, 31, 101);
            a.input(new ByteArrayInputStream("go\n".getBytes(StandardCharsets.UTF_8)), false);
            assertEquals(0, sized.exit.get(20, TimeUnit.SECONDS));
            reading.get(20, TimeUnit.SECONDS);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("31 101"), out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void execRunsInTheContainerWithItsOutputAndExitCode() throws Exception {
        Run c = run(config(List.of("sleep", "1000")), "");
        ContainerIo.Exec exec = io.exec(c.id, new ContainerIo.ExecSpec(List.of("sh", "-c", "echo $FOO; cat /etc/hostname; exit 4"),
                List.of("FOO=bar"), "", "", false, false, false, 0, 0), true);
        String out = drain(exec.io());
        assertEquals(4, exec.exit().get(20, TimeUnit.SECONDS));
        assertEquals("bar\nc1\n", out);

        ContainerIo.Exec missing = io.exec(c.id, new ContainerIo.ExecSpec(List.of("nope"), List.of(), "", "", false,
                false, false, 0, 0), true);
        assertEquals(127, missing.exit().get(20, TimeUnit.SECONDS));
        assertEquals("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": "
                + "executable file not found in $PATH: unknown\r\n", drain(missing.io()), "dockerd's words");

        ContainerIo.Exec tty = io.exec(c.id, new ContainerIo.ExecSpec(List.of("sh", "-c", "tty; stty size; id -u"), List.of(), "",
                "app", true, false, false, 24, 90), true);
        String ttyOut = drain(tty.io());
        assertEquals(0, tty.exit().get(20, TimeUnit.SECONDS));
        assertTrue(ttyOut.contains("/dev/pts/") && ttyOut.contains("24 90") && ttyOut.contains("1000"), ttyOut);

        ContainerIo.Exec withStdin = io.exec(c.id, new ContainerIo.ExecSpec(List.of("sh", "-c", "cat; echo done"),
                List.of(), "", "", false, true, false, 0, 0), true);
        CompletableFuture<String> catOut = CompletableFuture.supplyAsync(() -> drainQuietly(withStdin.io(), false));
        withStdin.io().input(new ByteArrayInputStream("piped\n".getBytes(StandardCharsets.UTF_8)), true);
        assertEquals(0, withStdin.exit().get(20, TimeUnit.SECONDS));
        assertEquals("piped\ndone\n", catOut.get(20, TimeUnit.SECONDS), "stdin reached the exec and its end closed it");

        // The resize goes to conmon's control fifo and the input to its attach socket: conmon may
        // take the input first, so the command waits up to 5 s for the size before it prints it.
        ContainerIo.Exec resized = io.exec(c.id, new ContainerIo.ExecSpec(List.of("sh", "-c",
                "read x; i=0; while [ \"$(stty size 2>/dev/null)\" != '33 77' ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done;"
                        + " stty size"), List.of(), "", "", true, true, false, 0, 0), true);
        CompletableFuture<String> sizeOut = CompletableFuture.supplyAsync(() -> drainQuietly(resized.io(), false));
        resized.resize(33, 77);
        resized.io().input(new ByteArrayInputStream("go\n".getBytes(StandardCharsets.UTF_8)), false);
        assertEquals(0, resized.exit().get(20, TimeUnit.SECONDS));
        assertTrue(sizeOut.get(20, TimeUnit.SECONDS).contains("33 77"), sizeOut.get());

        ContainerIo.Exec detached = io.exec(c.id, new ContainerIo.ExecSpec(List.of("sh", "-c", "exit 2"), List.of(), "",
                "", false, false, false, 0, 0), false);
        assertEquals(2, detached.exit().get(20, TimeUnit.SECONDS));
    }

    @Test
    void aContainerInANetworkNamespaceSeesOnlyItsLinks() throws Exception {
        String ns = "berth-it-" + HexFormat.of().formatHex(randomBytes(4));
        sh("ip", "netns", "add", ns);
        namespaces.add(ns);
        sh("ip", "-n", ns, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1");
        Run c = run(config(List.of("sh", "-c", "ls /sys/class/net; cat /etc/hosts")), "/run/netns/" + ns);
        assertEquals(0, c.exit.get(20, TimeUnit.SECONDS));
        String out = logText(c.id);
        assertTrue(out.startsWith("lo\nprobe0\nprobe1\n"), out);
        assertTrue(out.contains("10.0.0.2\tc1"), out);
    }

    @Test
    void aContainerOutlivesItsLauncherAndIsAdoptedSignalledAndReported() throws Exception {
        Run c = run(config(List.of("sh", "-c", "trap 'exit 143' TERM; echo up; sleep 1000 & wait")), "");
        Run quick = run(config(List.of("sleep", "1000")), "");
        awaitLog(c.id, "up");
        // the "daemon" restarts: a new launcher over the same exec root
        launcher = ConmonLauncher.install(execRoot, execRoot.resolve("host-resolv.conf"));
        io = launcher.containerIo();
        CompletableFuture<Integer> adoptedExit = new CompletableFuture<>();
        ProcessLauncher.Adopted adopted = launcher.adopt(c.id, adoptedExit::complete);
        assertTrue(adopted.running());
        assertEquals(c.pid, adopted.pid());
        ContainerIo.Exec exec = io.exec(c.id, new ContainerIo.ExecSpec(List.of("echo", "still"), List.of(), "", "",
                false, false, false, 0, 0), true);
        assertEquals("still\n", drain(exec.io()));
        launcher.signal(c.id, 15);
        assertEquals(143, adoptedExit.get(20, TimeUnit.SECONDS));
        // one that ends while no launcher watches it reports its recorded code
        launcher.kill(quick.id);
        assertEquals(137, quick.exit.get(20, TimeUnit.SECONDS));
        awaitMonitorGone(quick.id);
        ProcessLauncher.Adopted ended = launcher.adopt(quick.id, code -> { });
        assertFalse(ended.running());
        assertEquals(137, ended.exitCode());
    }

    /**
     * The "daemon" is a JVM of its own that starts a container and is then killed with SIGKILL:
     * conmon and the container run on, and this JVM adopts, signals and reports them.
     */
    @Test
    void aContainerKeepsRunningWhenItsDaemonIsKilled() throws Exception {
        SandboxId id = new SandboxId(HexFormat.of().formatHex(randomBytes(32)));
        made.add(id);
        List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Starter.class.getName(), execRoot.toString(), rootfs.toString(), id.value()));
        Process daemon = new ProcessBuilder(java).redirectErrorStream(true).start();
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(daemon.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        StringBuilder said = new StringBuilder();
        while ((line = lines.readLine()) != null && !line.startsWith("started ")) {
            said.append(line).append('\n');
        }
        assertTrue(line != null, "the daemon JVM said: " + said);
        long pid = Long.parseLong(line.substring("started ".length()));
        daemon.destroyForcibly(); // SIGKILL
        daemon.waitFor();
        awaitLog(id, "up");
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ProcessLauncher.Adopted adopted = launcher.adopt(id, exit::complete);
        assertTrue(adopted.running(), "the container outlived its daemon");
        assertEquals(pid, adopted.pid());
        launcher.signal(id, 15);
        assertEquals(143, exit.get(20, TimeUnit.SECONDS));
        assertEquals("up\n", logText(id));
    }

    /** The daemon of {@link #aContainerKeepsRunningWhenItsDaemonIsKilled}: starts one container, says so, waits. */
    public static final class Starter {
        public static void main(String[] args) throws Exception {
            Path execRoot = Path.of(args[0]);
            ConmonLauncher launcher = ConmonLauncher.install(execRoot, execRoot.resolve("host-resolv.conf"));
            ContainerConfig cfg = config(List.of("sh", "-c", "trap 'exit 143' TERM; echo up; sleep 1000 & wait"));
            long pid = launcher.start(new ProcessLauncher.Launch(new SandboxId(args[2]), "c1", "c1", "", cfg.argv(),
                    List.of(), false, cfg, args[1]), code -> { });
            System.out.println("started " + pid);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void removeOthersKillsAndDeletesContainersNoLongerKnown() throws Exception {
        Run c = run(config(List.of("sleep", "1000")), "");
        launcher.removeOthers(Set.of());
        assertEquals(137, c.exit.get(20, TimeUnit.SECONDS));
        assertFalse(Files.exists(execRoot.resolve("sandboxes").resolve(c.id.value())));
    }

    @Test
    void anUnprivilegedContainerGetsDockersCapabilitiesSeccompMasksAndFiles() throws Exception {
        Run c = run(config(List.of("sh", "-c", String.join("; ",
                "exec 2>/dev/null", "grep -E '^(CapEff|Seccomp):' /proc/self/status",
                "echo keys=$(wc -c < /proc/keys)",
                "echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo sys=rw || echo sys=ro",
                "unshare -n true 2>/dev/null && echo unshare=yes || echo unshare=refused",
                "hostname", "cat /etc/hostname", "grep c1 /etc/hosts", "cat /etc/resolv.conf",
                "echo pid1=$$"))), "");
        assertEquals(0, c.exit.get(20, TimeUnit.SECONDS));
        assertEquals(String.join("\n", "CapEff:\t00000000a80425fb", "Seccomp:\t2", "keys=0", "sys=ro",
                "unshare=refused", "c1", "c1", "10.0.0.2\tc1", "nameserver 198.51.100.53", "pid1=1", ""), logText(c.id));

        ContainerConfig p = config(List.of("sh", "-c", "grep -E '^(CapEff|Seccomp):' /proc/self/status; "
                + "unshare -n true && echo unshare=yes"));
        Run privileged = run(new ContainerConfig(p.image(), p.imageId(), p.entrypoint(), p.cmd(), p.env(), "", "",
                false, false, false, List.of(), false, null, List.of(), List.of(), true, null, null, null, Map.of(),
                null), "");
        assertEquals(0, privileged.exit.get(20, TimeUnit.SECONDS));
        String bounding = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapBnd:"))
                .findFirst().orElseThrow().substring(7).strip();
        assertEquals("CapEff:\t" + bounding + "\nSeccomp:\t0\nunshare=yes\n", logText(privileged.id));
    }

    @Test
    void userMountsLimitsAndAReadOnlyRootAreApplied() throws Exception {
        Path host = Files.createDirectories(execRoot.resolve("shared-dir"));
        Files.writeString(host.resolve("f"), "from host\n");
        ContainerConfig c = new ContainerConfig("busybox", "sha256:" + "0".repeat(64), List.of(),
                List.of("sh", "-c", String.join("; ",
                        "id", "pwd", "echo $HOME $GREETING",
                        "cat /data/f", "echo x > /data/g",
                        "echo y > /scratch/y && cat /scratch/y",
                        "touch /nope 2>/dev/null && echo root=rw || echo root=ro",
                        "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max",
                        "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us")),
                List.of("GREETING=hello"), "/tmp", "app", false, false, false,
                List.of(new ContainerConfig.Mount("bind", host.toString(), "/data", false, List.of()),
                        new ContainerConfig.Mount("tmpfs", "", "/scratch", false, List.of("size=1m"))),
                true, new ContainerConfig.Resources(64L << 20, 500_000_000L, 50), List.of(), List.of(), false, null,
                null, null, Map.of(), null);
        Files.setPosixFilePermissions(host, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Run r = run(c, "");
        assertEquals(0, r.exit.get(20, TimeUnit.SECONDS), logText(r.id));
        // the primary group is a supplementary one too, as moby sets it (CVE-2022-36109); the kernel sorts them
        assertEquals(String.join("\n", "uid=1000(app) gid=1000(app) groups=10(wheel),1000(app)", "/tmp", "/home/app hello",
                "from host", "y", "root=ro", Long.toString(64L << 20), "50", "50000", "100000", ""), logText(r.id));
        assertEquals("x\n", Files.readString(host.resolve("g")));
        RuncContainers.deleteTree(host);
    }

    @Test
    void hostsFollowsAConnectInsideARunningContainer() throws Exception {
        Run c = run(config(List.of("sleep", "1000")), "");
        launcher.updateFiles(new ProcessLauncher.FilesUpdate(c.id, "c1", "c1", List.of("10.0.0.2", "10.0.1.2"), true));
        ContainerIo.Exec exec = io.exec(c.id, new ContainerIo.ExecSpec(List.of("sh", "-c", "grep c1 /etc/hosts; cat /etc/resolv.conf"),
                List.of(), "", "", false, false, false, 0, 0), true);
        assertEquals("10.0.0.2\tc1\n10.0.1.2\tc1\nnameserver 127.0.0.11\noptions ndots:0\n", drain(exec.io()));
        assertEquals(0, exec.exit().get(20, TimeUnit.SECONDS));
    }

    @Test
    void aCommandThatDoesNotExistIsRefusedWithRuncsWordsAndLeavesNothing() {
        SandboxId id = new SandboxId(HexFormat.of().formatHex(randomBytes(32)));
        made.add(id);
        ContainerConfig cfg = config(List.of("nope"));
        dev.berth.core.errors.InvalidParameterException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.berth.core.errors.InvalidParameterException.class, () -> launcher.start(new ProcessLauncher.Launch(
                        id, "c1", "c1", "", cfg.argv(), List.of(), false, cfg, rootfs.toString()), code -> { }));
        assertEquals("failed to create task for container: failed to create shim task: OCI runtime create failed: "
                + "runc create failed: unable to start container process: exec: \"nope\": executable file not found in "
                + "$PATH: unknown", e.getMessage(), "dockerd 28's words, which make the docker CLI exit 127");
        assertFalse(launcher.running(id));
    }

    // ---------------------------------------------------------------- helpers

    private record Run(SandboxId id, long pid, CompletableFuture<Integer> exit) {
    }

    private Run run(ContainerConfig cfg, String netns) {
        SandboxId id = new SandboxId(HexFormat.of().formatHex(randomBytes(32)));
        made.add(id);
        return run(id, cfg, netns);
    }

    private Run run(SandboxId id, ContainerConfig cfg, String netns) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        long pid = launcher.start(new ProcessLauncher.Launch(id, "c1", "c1", netns, cfg.argv(), List.of("10.0.0.2"),
                false, cfg, rootfs.toString()), exit::complete);
        return new Run(id, pid, exit);
    }

    static ContainerConfig config(List<String> cmd) {
        return new ContainerConfig("busybox", "sha256:" + "0".repeat(64), List.of(), cmd, List.of(), "", "", false,
                false, false, List.of(), false, null, List.of(), List.of(), false, null, null, null, Map.of(), null);
    }

    static ContainerConfig with(ContainerConfig c, boolean tty, boolean openStdin, boolean stdinOnce) {
        return new ContainerConfig(c.image(), c.imageId(), c.entrypoint(), c.cmd(), c.env(), c.workingDir(), c.user(),
                tty, openStdin, stdinOnce, c.mounts(), c.readOnlyRootfs(), c.resources(), c.capAdd(), c.capDrop(),
                c.privileged(), c.restart(), c.stopSignal(), c.stopTimeout(), c.labels(), c.log());
    }

    private String logText(SandboxId id) throws IOException {
        StringBuilder out = new StringBuilder();
        io.logs(id, -1, null, false, e -> out.append(new String(e.data(), StandardCharsets.UTF_8)));
        return out.toString();
    }

    private void awaitLog(SandboxId id, String text) throws Exception {
        for (int i = 0; i < 400; i++) {
            if (logText(id).contains(text)) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no '" + text + "' in the log: " + logText(id));
    }

    private static String drain(ContainerIo.Attached attached) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (attached) {
            attached.output((stream, data, off, len) -> out.write(data, off, len));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Output as {@code <stream number>:<text>} per chunk (or plain text), never throwing. */
    private static String drainQuietly(ContainerIo.Attached attached, boolean tagged) {
        StringBuilder out = new StringBuilder();
        try (attached) {
            attached.output((stream, data, off, len) -> out.append(tagged ? (stream == ContainerIo.Stream.STDOUT ? "1:" : "2:") : "")
                    .append(new String(data, off, len, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static void sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + ": " + out);
        }
    }
}
