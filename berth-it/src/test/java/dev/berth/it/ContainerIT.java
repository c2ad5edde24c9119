package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Dirs;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real containers from the busybox image (loaded by the fixture from Debian's busybox-static), run
 * by runc under conmon, driven by the real docker CLI 28.2 exactly as the networking guides type
 * it: streams and exit codes of {@code run --rm}, stdin, a terminal, published ports, logs, stop,
 * wait, exec by name on a user network, kill with a signal, and a daemon killed with SIGKILL while
 * a container runs. Each test removes its containers; the leak check proves nothing is left.
 */
@ExtendWith(TestbedExtension.class)
class ContainerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode inspect(Testbed bed, String container) throws IOException {
        return JSON.readTree(bed.docker().ok("inspect", container).stdout()).get(0);
    }

    /** No container, rootfs mount, runc state or bundle left in the daemon's directories. */
    private static void nothingLeft(Testbed bed) {
        assertEquals("", bed.docker().ok("ps", "-aq").stdout().strip(), "containers left");
        for (String dir : List.of("exec/runc", "exec/rootfs", "exec/sandboxes", "exec/netns")) {
            List<String> left = Dirs.names(bed.dir().resolve(dir)).stream()
                    .filter(name -> name.matches("[0-9a-f]{12,64}")).toList();
            assertTrue(left.isEmpty(), dir + " still has " + left);
        }
    }

    @Test
    void runRmSeparatesStreamsReturnsTheExitCodeAndRemoves(Testbed bed) {
        bed.daemon().start();
        CommandResult r = bed.docker().run("run", "--rm", "busybox", "sh", "-c", "echo o; echo e >&2; exit 3");
        assertEquals(3, r.exitCode(), r::describe);
        assertEquals("o", r.stdout().strip(), r::describe);
        assertEquals("e", r.stderr().strip(), r::describe);
        nothingLeft(bed);

        CommandResult piped = bed.docker().shell("echo hi | docker run -i --rm busybox cat");
        assertEquals(0, piped.exitCode(), piped::describe);
        assertEquals("hi", piped.stdout().strip(), piped::describe);

        CommandResult missing = bed.docker().run("run", "--rm", "busybox", "no-such-command");
        assertEquals(127, missing.exitCode(), missing::describe);
        assertTrue(missing.stderr().contains("no-such-command") && missing.stderr().contains("executable file not found"),
                missing::describe);
        CommandResult conflicting = bed.docker().run("run", "--rm", "--restart", "always", "busybox", "true");
        assertEquals(125, conflicting.exitCode(), conflicting::describe);
        nothingLeft(bed);
    }

    @Test
    void anInteractiveTerminalSeesTheNetworkAndExitsWithItsCode(Testbed bed) throws IOException {
        bed.daemon().start();
        bed.docker().ok("network", "create", "--subnet", "10.88.0.0/24", "mynet");
        // util-linux script gives the CLI a pseudo-terminal; -e returns the child's exit status
        CommandResult tty = bed.docker().shell("(sleep 2; echo 'ip addr'; sleep 1; echo 'exit 5') | "
                + "script -qec 'docker run -it --rm --network mynet busybox sh' /dev/null");
        assertEquals(5, tty.exitCode(), tty::describe);
        assertTrue(tty.stdout().contains("inet 10.88.0.2/24"), tty::describe);
        nothingLeft(bed);
        bed.docker().ok("network", "rm", "mynet");
    }

    @Test
    void aPublishedServerIsReachableAndStopsWithLogsAndWait(Testbed bed) throws Exception {
        bed.daemon().start();
        String id = bed.docker().ok("run", "-d", "--name", "web", "-p", "8080:80", "busybox", "sh", "-c",
                "mkdir -p /www && echo hello-from-web > /www/index.html && echo serving && exec httpd -f -v -p 80 -h /www")
                .stdout().strip();
        assertEquals(64, id.length(), id);
        JsonNode state = inspect(bed, "web").path("State");
        assertTrue(state.path("Running").asBoolean(), state::toString);
        long pid = state.path("Pid").asLong();
        assertTrue(pid > 0 && Files.exists(Path.of("/proc/" + pid)), state::toString);
        String upstreamFetch = fetch(bed, bed.host().upstreamNs(), HostFixture.HOST_V4 + ":8080");
        assertEquals("hello-from-web", upstreamFetch.strip(), "from outside the host");
        assertEquals("hello-from-web", fetch(bed, bed.host().hostNs(), "127.0.0.1:8080").strip(), "from the host");
        AtomicReference<CommandResult> logs = new AtomicReference<>();
        try {
            Poll.eventually(10, "docker logs shows the server's output", () -> {
                logs.set(bed.docker().run("logs", "web"));
                return logs.get().stdout().contains("serving") && logs.get().stderr().contains("[::ffff:" + HostFixture.UPSTREAM_V4 + "]")
                        && logs.get().stderr().contains("response:200");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last: " + logs.get().describe(), e);
        }
        CommandResult tail = bed.docker().ok("logs", "--tail", "1", "-t", "web");
        assertTrue(tail.stdout().isEmpty() || tail.stdout().matches("(?s)\\d{4}-\\d\\d-\\d\\dT.*"), tail::describe);
        bed.docker().ok("stop", "-t", "1", "web");
        CommandResult waited = bed.docker().ok("wait", "web");
        int code = Integer.parseInt(waited.stdout().strip());
        assertTrue(code == 143 || code == 137, waited::describe);
        assertFalse(inspect(bed, "web").path("State").path("Running").asBoolean());
        Poll.eventually(5, "the server process is gone", () -> !Files.exists(Path.of("/proc/" + pid)));
        assertTrue(fetch(bed, bed.host().upstreamNs(), HostFixture.HOST_V4 + ":8080").startsWith("FAIL"),
                "nothing answers once stopped");
        bed.docker().ok("rm", "web");
        nothingLeft(bed);
    }

    /**
     * A graceful stop (SIGTERM, as {@code systemctl restart} sends) keeps the namespaces of running
     * containers: they used to be unmounted, and the next daemon plumbed new ones that the
     * containers were not in, so a container kept running with only {@code lo}.
     */
    @Test
    void aGracefulDaemonRestartKeepsARunningContainersNetwork(Testbed bed) {
        bed.daemon().start();
        bed.docker().ok("network", "create", "keepnet");
        bed.docker().ok("run", "-d", "--name", "k1", "--network", "keepnet", "busybox", "sleep", "600");
        bed.docker().ok("run", "-d", "--name", "k2", "--network", "keepnet", "busybox", "sleep", "600");
        String before = bed.docker().ok("exec", "k1", "ip", "-o", "-4", "addr", "show", "eth0").stdout();
        assertTrue(before.contains("inet "), before);
        bed.daemon().restart();
        assertEquals(before, bed.docker().ok("exec", "k1", "ip", "-o", "-4", "addr", "show", "eth0").stdout());
        CommandResult ping = bed.docker().run("exec", "k1", "ping", "-c1", "-W2", "k2");
        assertEquals(0, ping.exitCode(), ping::describe);
        bed.docker().ok("rm", "-f", "k1", "k2");
        bed.docker().ok("network", "rm", "keepnet");
        nothingLeft(bed);
    }

    @Test
    void execReachesAnotherContainerByNameAndKillDeliversTheSignal(Testbed bed) {
        bed.daemon().start();
        bed.docker().ok("network", "create", "usernet");
        bed.docker().ok("run", "-d", "--name", "c1", "--network", "usernet", "busybox", "sleep", "600");
        bed.docker().ok("run", "-d", "--name", "c2", "--network", "usernet", "busybox", "sh", "-c",
                "trap 'exit 143' TERM; sleep 600 & wait");
        CommandResult ping = bed.docker().run("exec", "c1", "ping", "-c1", "-W2", "c2");
        assertEquals(0, ping.exitCode(), ping::describe);
        assertTrue(ping.stdout().contains("1 packets received"), ping::describe);
        CommandResult code = bed.docker().run("exec", "c1", "sh", "-c", "exit 7");
        assertEquals(7, code.exitCode(), code::describe);
        CommandResult tty = bed.docker().shell("script -qec 'docker exec -it c1 sh -c \"tty; exit 4\"' /dev/null < /dev/null");
        assertEquals(4, tty.exitCode(), tty::describe);
        assertTrue(tty.stdout().contains("/dev/pts/"), tty::describe);

        bed.docker().ok("kill", "-s", "TERM", "c2");
        assertEquals("143", bed.docker().ok("wait", "c2").stdout().strip());
        CommandResult stopped = bed.docker().run("exec", "c2", "true");
        assertEquals(1, stopped.exitCode(), stopped::describe);
        assertTrue(stopped.stderr().contains("is not running"), stopped::describe);
        CommandResult badSignal = bed.docker().run("kill", "-s", "NOSUCH", "c1");
        assertTrue(badSignal.exitCode() != 0 && badSignal.stderr().contains("Invalid signal"), badSignal::describe);
        bed.docker().ok("rm", "-f", "c1", "c2");
        bed.docker().ok("network", "rm", "usernet");
        nothingLeft(bed);
    }

    @Test
    void aContainerOutlivesADaemonKilledWithSigkill(Testbed bed) throws Exception {
        bed.daemon().start();
        bed.docker().ok("run", "-d", "--name", "survivor", "busybox", "sh", "-c",
                "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done");
        long pid = inspect(bed, "survivor").path("State").path("Pid").asLong();
        bed.daemon().kill9();
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "the container runs while no daemon does");
        bed.daemon().start();
        JsonNode state = inspect(bed, "survivor").path("State");
        assertTrue(state.path("Running").asBoolean(), state::toString);
        assertEquals(pid, state.path("Pid").asLong(), state::toString);
        Poll.eventually(10, "logs go on after the restart", () -> bed.docker().run("logs", "--tail", "1", "survivor")
                .stdout().matches("(?s)tick \\d+\\s*"));
        CommandResult exec = bed.docker().run("exec", "survivor", "echo", "still-here");
        assertEquals("still-here", exec.stdout().strip(), exec::describe);
        bed.docker().ok("stop", "-t", "1", "survivor");
        assertFalse(inspect(bed, "survivor").path("State").path("Running").asBoolean());
        bed.docker().ok("rm", "survivor");
        nothingLeft(bed);
    }

    /** {@code curl http://target/index.html} from a namespace, or {@code FAIL ...}. */
    private static String fetch(Testbed bed, String ns, String target) {
        CommandResult r = bed.run(HostFixture.inNamespace(ns, "curl", "-s", "-m", "3", "http://" + target + "/index.html"));
        return r.exitCode() == 0 ? r.stdout() : "FAIL " + r.exitCode();
    }
}
