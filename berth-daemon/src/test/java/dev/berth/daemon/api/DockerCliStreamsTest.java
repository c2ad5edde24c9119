package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.model.SandboxId;
import dev.berth.daemon.process.ContainerIo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker attach}, {@code docker exec} (with and without {@code -i}/{@code -t}, detached)
 * and {@code docker logs} with the real CLI 28.2, over containers whose processes are
 * {@link FakeContainerIo}'s programs.
 */
@Timeout(120)
class DockerCliStreamsTest {
    @TempDir
    Path directory;
    private TestDaemon daemon;
    private DockerCli docker;
    private FakeLauncher launcher;
    private FakeContainerIo io;
    private SandboxId c1;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(DockerCli.installed(), "docker CLI not installed at " + DockerCli.DOCKER);
        launcher = new FakeLauncher();
        io = new FakeContainerIo(launcher::exit);
        daemon = new TestDaemon(directory, launcher, io);
        docker = new DockerCli(daemon.socket, directory);
        c1 = new SandboxId(ok(docker.run("create", "--name", "c1", "busybox", "sh")).out().strip());
        ok(docker.run("start", "c1"));
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static DockerCli.Run ok(DockerCli.Run run) {
        assertEquals(0, run.exit(), run::err);
        return run;
    }

    @Test
    void execPrintsBothStreamsAndExitsWithTheProcessStatus() throws Exception {
        assertEquals("hi there\n", ok(docker.run("exec", "c1", "echo", "hi", "there")).out());
        DockerCli.Run failed = docker.run("exec", "c1", "fail");
        assertEquals(3, failed.exit());
        assertEquals("trying\n", failed.out());
        assertEquals("oops\n", failed.err());
        DockerCli.Run missing = docker.run("exec", "c1", "nosuch");
        assertEquals(127, missing.exit());
        assertTrue(missing.err().contains("executable file not found"), missing.err());
    }

    @Test
    void execDashIPassesStdinUntilItsEnd() throws Exception {
        assertEquals("line one\nline two\n", ok(docker.runWithInput("line one\nline two\n", "exec", "-i", "c1", "cat"))
                .out());
    }

    @Test
    void execDetachedReturnsAtOnce() throws Exception {
        DockerCli.Run run = ok(docker.run("exec", "-d", "c1", "exit", "5"));
        assertEquals("", run.out());
        assertEquals("exit", io.execs.getFirst().argv().getFirst());
    }

    @Test
    void execDashTUnderATerminalIsRawAndResized() throws Exception {
        DockerCli.Run run = docker.runInTerminal("", "exec", "-t", "c1", "echo", "in a tty");
        assertEquals(0, run.exit(), run.out() + run.err());
        // raw: no frame header before the text
        assertTrue(run.out().startsWith("in a tty"), run.out());
        ContainerIo.ExecSpec spec = io.execs.getFirst();
        assertTrue(spec.tty());
        assertEquals("30x100", spec.height() + "x" + spec.width());
    }

    @Test
    void execDashItEchoesWhatIsTyped() throws Exception {
        DockerCli.Run run = docker.runInTerminal("typed\u0004", "exec", "-it", "c1", "cat");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("typed"), run.out());
        assertTrue(io.execs.getFirst().stdin());
    }

    @Test
    void attachShowsTheOutputAndExitsWithTheContainersStatus() throws Exception {
        io.mainExitCode = 7;
        // inspect says OpenStdin false (the life cycle's part), so the CLI attaches stdout and stderr only
        Process attach = docker.start("attach", "c1");
        FakeContainerIo.Pipe stdin = io.attachments.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(stdin != null, () -> "no attach: " + attach.isAlive() + " " + readQuietly(directory.resolve("err-bg.txt")));
        stdin.type("hello\n");
        // The CLI inspects the container again once attached and gives up if it stopped meanwhile
        // (as with dockerd): the container ends only after its output reached the CLI, which
        // streams only after that second look.
        byte[] hello = attach.getInputStream().readNBytes("hello\n".length());
        assertEquals("hello\n", new String(hello, StandardCharsets.UTF_8),
                () -> "stderr: " + readQuietly(directory.resolve("err-bg.txt")));
        stdin.close();
        assertEquals("", new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(7, attach.waitFor());
        assertEquals("bye\n", Files.readString(directory.resolve("err-bg.txt")));
        assertEquals("exited", daemon.processes.state(c1).status().wire());
    }

    @Test
    void topShowsPsEfOfThePidNamespace() throws Exception {
        // c2's "process" is this JVM: top lists the processes of its PID namespace
        long self = ProcessHandle.current().pid();
        launcher.pid = self;
        ok(docker.run("create", "--name", "c2", "busybox", "sh"));
        ok(docker.run("start", "c2"));
        java.util.List<String> lines = ok(docker.run("top", "c2")).out().lines().toList();
        assertTrue(lines.getFirst().matches("UID +PID +PPID +C +STIME +TTY +TIME +CMD"), lines.getFirst());
        String mine = lines.stream().map(l -> l.split(" +"))
                .filter(columns -> columns.length > 1 && columns[1].equals(Long.toString(self)))
                .map(columns -> String.join(" ", columns)).findFirst()
                .orElseThrow(() -> new AssertionError(lines.toString()));
        String[] columns = mine.split(" +", 8);
        assertEquals(Long.toString(ProcessHandle.current().parent().orElseThrow().pid()), columns[2]);
        assertTrue(columns[6].matches("[0-9]{2}:[0-9]{2}:[0-9]{2}"), mine);
        assertTrue(columns[7].contains("java"), mine);
        ok(docker.run("rm", "-f", "c2"));
        String stopped = docker.run("top", "c1", "aux").err();
        assertTrue(stopped.contains("ps_args \"aux\" are not supported"), stopped);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void logsDemuxedWithTailTimestampsAndFollow() throws Exception {
        io.log(c1, Instant.parse("2026-12-05T06:00:01.25Z"), ContainerIo.Stream.STDOUT, "one\n");
        io.log(c1, Instant.parse("2026-12-05T06:00:02Z"), ContainerIo.Stream.STDERR, "two\n");
        io.log(c1, Instant.parse("2026-12-05T06:00:03Z"), ContainerIo.Stream.STDOUT, "three\n");
        DockerCli.Run all = ok(docker.run("logs", "c1"));
        assertEquals("one\nthree\n", all.out());
        assertEquals("two\n", all.err());
        DockerCli.Run tail = ok(docker.run("logs", "--tail", "2", "-t", "c1"));
        assertEquals("2026-12-05T06:00:03.000000000Z three\n", tail.out());
        assertEquals("2026-12-05T06:00:02.000000000Z two\n", tail.err());
        Process follow = docker.start("logs", "-f", "--tail", "1", "c1");
        // the first line arrives while the container runs; the rest once it stopped
        byte[] first = follow.getInputStream().readNBytes("three\n".length());
        assertEquals("three\n", new String(first, StandardCharsets.UTF_8));
        io.log(c1, Instant.parse("2026-12-05T06:00:04Z"), ContainerIo.Stream.STDOUT, "four\n");
        io.stop(c1);
        assertEquals("four\n", new String(follow.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, follow.waitFor());
    }
}
