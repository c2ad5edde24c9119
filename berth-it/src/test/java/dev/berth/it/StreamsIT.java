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
}
