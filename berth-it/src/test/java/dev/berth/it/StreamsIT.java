package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hijacked and streamed routes over real containers (runc under conmon) with the real docker
 * CLI: {@code run} attached (both streams, the exit status), {@code exec} (streams, exit status),
 * {@code logs} (demultiplexed, {@code --tail}, {@code -t}), {@code top}.
 */
@ExtendWith(TestbedExtension.class)
class StreamsIT {

    @Test
    void runExecLogsAndTopOnRealContainers(Testbed bed) throws Exception {
        bed.daemon().start();
        CommandResult run = bed.docker().run("run", "--rm", "busybox", "sh", "-c", "echo o; echo e >&2; exit 3");
        assertEquals(3, run.exitCode(), run::describe);
        assertEquals("o\n", run.stdout(), run::describe);
        assertEquals("e\n", run.stderr(), run::describe);

        bed.docker().ok("run", "-d", "--name", "c1", "busybox", "sh", "-c", "echo one; echo two >&2; exec sleep 1000");
        CommandResult exec = bed.docker().run("exec", "c1", "sh", "-c", "echo hi; echo err >&2; exit 4");
        assertEquals(4, exec.exitCode(), exec::describe);
        assertEquals("hi\n", exec.stdout(), exec::describe);
        assertEquals("err\n", exec.stderr(), exec::describe);

        Poll.eventually(10, "both lines logged", () -> {
            CommandResult logs = bed.docker().run("logs", "c1");
            return logs.stdout().equals("one\n") && logs.stderr().equals("two\n");
        });
        CommandResult tail = bed.docker().ok("logs", "--tail", "1", "-t", "c1");
        assertTrue((tail.stdout() + tail.stderr()).matches(
                "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z two\n"), tail::describe);

        CommandResult top = bed.docker().ok("top", "c1");
        assertTrue(top.lines().getFirst().matches("UID +PID +PPID +C +STIME +TTY +TIME +CMD"), top::describe);
        assertTrue(top.stdout().contains("sleep 1000"), top::describe);
        bed.docker().ok("rm", "-f", "c1");
    }

    /** The CLI through {@code sh -c} (a pipe in front, or under {@code script}'s pseudo-terminal). */
    private static CommandResult shell(Testbed bed, String command) {
        return bed.run(java.util.List.of("env", "DOCKER_HOST=unix://" + bed.daemon().socket(),
                "DOCKER_CONFIG=" + bed.dir().resolve("docker-shell-config"), "sh", "-c", command));
    }

    @Test
    void stdinPipedAndATerminal(Testbed bed) throws Exception {
        bed.daemon().start();
        CommandResult piped = shell(bed, "echo hi | exec /usr/local/bin/docker run -i --rm busybox cat");
        assertEquals(0, piped.exitCode(), piped::describe);
        assertEquals("hi\n", piped.stdout(), piped::describe);

        CommandResult tty = shell(bed, "exec script -qec \"stty rows 30 cols 100; exec /usr/local/bin/docker run -it --rm"
                + " busybox sh -c 'tty; exit 5'\" /dev/null < /dev/null");
        assertEquals(5, tty.exitCode(), tty::describe);
        // raw, not framed; the size HostConfig.ConsoleSize gives at start: RunOptionsIT
        assertTrue(tty.stdout().contains("/dev/pts/0"), tty::describe);

        bed.docker().ok("run", "-d", "--name", "c1", "busybox", "sleep", "1000");
        CommandResult exec = shell(bed, "exec script -qec \"stty rows 40 cols 120; exec /usr/local/bin/docker exec -it c1"
                + " sh -c 'stty size; exit 6'\" /dev/null < /dev/null");
        assertEquals(6, exec.exitCode(), exec::describe);
        assertTrue(exec.stdout().contains("40 120"), exec::describe);
        bed.docker().ok("rm", "-f", "c1");
    }
}
