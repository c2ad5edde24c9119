package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code berth run}, {@code exec}, {@code ps} and {@code rm} with the real CLI jar against the
 * real daemon: the process sees the sandbox's interfaces, hostname and files; exit statuses
 * propagate; a sandbox lives as long as its process; {@code rm -f} kills it and leaves nothing.
 */
@ExtendWith(TestbedExtension.class)
class RunIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CommandResult berth(Testbed bed, String... args) {
        return bed.berth().withFlag(bed.daemon().socket(), args);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 10 s: " + what);
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether the process is gone (a zombie waiting for its reaper counts as gone). */
    private static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean noVeths(Testbed bed) {
        return bed.host().hostLinks().stream().map(LinkState::name).noneMatch(n -> n.startsWith("veth"));
    }

    private static void assertNothingLeft(Testbed bed) throws InterruptedException {
        eventually("netns files removed", () -> files(bed.dir().resolve("exec/netns")).isEmpty());
        eventually("sandbox files removed", () -> files(bed.dir().resolve("exec/sandboxes")).isEmpty());
        eventually("veths removed", () -> noVeths(bed));
        assertEquals("", berth(bed, "ps", "-a", "-q").assertSuccess().stdout());
    }

    @Test
    void attachedRunSeesItsAddressHostnameAndFiles(Testbed bed) throws Exception {
        bed.daemon().start();
        berth(bed, "network", "create", "--subnet", "10.77.0.0/24", "net1").assertSuccess();
        CommandResult run = berth(bed, "run", "--rm", "--network", "net1", "--hostname", "box1", "--name", "r1",
                "--", "sh", "-c", "cat /etc/resolv.conf; hostname; cat /etc/hosts; ip -br addr");
        run.assertSuccess();
        String out = run.stdout();
        assertTrue(out.lines().anyMatch(l -> l.startsWith("eth0") && l.contains("10.77.0.2/24")), run::describe);
        assertTrue(out.lines().anyMatch(l -> l.equals("box1")), run::describe);
        assertTrue(out.contains("10.77.0.2\tbox1 r1"), run::describe);
        assertEquals(List.of("nameserver 127.0.0.11"),
                out.lines().filter(l -> l.startsWith("nameserver ")).toList(), run::describe);
        assertTrue(out.lines().anyMatch(l -> l.equals("options ndots:0")), run::describe);
        assertNothingLeft(bed);
    }

    @Test
    void defaultBridgeGetsTheHostsResolversAndUserNetworksResolvePeersByName(Testbed bed) throws Exception {
        bed.daemon().start();
        CommandResult legacy = berth(bed, "run", "--rm", "--", "cat", "/etc/resolv.conf");
        legacy.assertSuccess();
        assertFalse(legacy.stdout().contains("127.0.0.11"), legacy::describe);
        assertTrue(legacy.stdout().lines().anyMatch(l -> l.startsWith("nameserver ")), legacy::describe);

        berth(bed, "network", "create", "named").assertSuccess();
        berth(bed, "run", "-d", "--name", "peer", "--network", "named", "--", "sleep", "300").assertSuccess();
        CommandResult ping = berth(bed, "run", "--rm", "--network", "named", "--", "ping", "-c", "1", "-W", "3", "peer");
        assertEquals(0, ping.exitCode(), ping::describe);
        assertTrue(ping.stdout().contains("1 packets received") || ping.stdout().contains("1 received"),
                ping::describe);
        berth(bed, "rm", "-f", "peer").assertSuccess();
        assertNothingLeft(bed);
    }

    @Test
    void exitStatusAndBothOutputStreamsPropagate(Testbed bed) throws Exception {
        bed.daemon().start();
        CommandResult run = berth(bed, "run", "--rm", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains("out") && run.stdout().contains("err"), run::describe);
        assertEquals(127, berth(bed, "run", "--rm", "--", "no-such-command-here").exitCode());
        assertNothingLeft(bed);
    }

    @Test
    void detachedRunExecPsAndForcedRemove(Testbed bed) throws Exception {
        bed.daemon().start();
        CommandResult run = berth(bed, "run", "-d", "--name", "c1", "--", "sleep", "300").assertSuccess();
        String id = run.stdout().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), run::describe);
        CommandResult ps = berth(bed, "ps").assertSuccess();
        assertTrue(ps.lines().getFirst().startsWith("CONTAINER ID"), ps::describe);
        assertTrue(ps.lines().stream().anyMatch(l -> l.startsWith(id.substring(0, 12)) && l.endsWith("c1")
                && l.contains("\"sleep 300\"") && l.contains("Up ")), ps::describe);
        JsonNode state = JSON.readTree(bed.docker().ok("inspect", "c1").stdout()).get(0).path("State");
        long pid = state.path("Pid").asLong();
        assertTrue(pid > 0 && Files.exists(Path.of("/proc", Long.toString(pid))), state::toString);

        CommandResult hostname = berth(bed, "exec", "c1", "--", "cat", "/etc/hostname").assertSuccess();
        assertEquals(id.substring(0, 12), hostname.stdout().strip());
        assertEquals(5, berth(bed, "exec", "c1", "sh", "-c", "exit 5").exitCode());
        CommandResult links = berth(bed, "exec", "c1", "--", "ip", "-br", "link").assertSuccess();
        assertTrue(links.stdout().lines().anyMatch(l -> l.startsWith("eth0")), links::describe);

        CommandResult refused = berth(bed, "rm", "c1");
        assertNotEquals(0, refused.exitCode(), refused::describe);
        assertTrue(refused.stderr().contains("container is running"), refused::describe);
        assertEquals("c1", berth(bed, "rm", "-f", "c1").assertSuccess().stdout().strip());
        eventually("process " + pid + " gone", () -> gone(pid));
        assertNothingLeft(bed);
    }

    @Test
    void networkNoneHasOnlyLoopbackAndHostSeesTheHostStack(Testbed bed) throws Exception {
        bed.daemon().start();
        CommandResult none = berth(bed, "run", "--rm", "--network", "none", "--", "ip", "-br", "link").assertSuccess();
        assertEquals(1, none.lines().size(), none::describe);
        assertTrue(none.lines().getFirst().startsWith("lo"), none::describe);
        CommandResult host = berth(bed, "run", "--rm", "--network", "host", "--", "ip", "-br", "addr").assertSuccess();
        assertTrue(host.stdout().lines().anyMatch(l -> l.startsWith(HostFixture.UPLINK)
                && l.contains(HostFixture.HOST_V4 + "/24")), host::describe);
        assertNothingLeft(bed);
    }

    @Test
    void anExitedSandboxStaysUntilRemovedAndDetachedRmRemovesItself(Testbed bed) throws Exception {
        bed.daemon().start();
        assertEquals(0, berth(bed, "run", "--name", "e1", "--", "true").exitCode());
        assertFalse(berth(bed, "ps").assertSuccess().stdout().contains("e1"));
        CommandResult all = berth(bed, "ps", "-a").assertSuccess();
        assertTrue(all.lines().stream().anyMatch(l -> l.endsWith("e1") && l.contains("Exited (0)")), all::describe);
        CommandResult exec = berth(bed, "exec", "e1", "--", "true");
        assertEquals(1, exec.exitCode(), exec::describe);
        assertEquals("e1", berth(bed, "rm", "e1").assertSuccess().stdout().strip());

        berth(bed, "run", "-d", "--rm", "--name", "d1", "--", "sleep", "1").assertSuccess();
        eventually("d1 removed", () -> !berth(bed, "ps", "-a").stdout().contains("d1"));
        assertNothingLeft(bed);
    }

    @Test
    void interruptingAnAttachedRunRemovesItsRmSandboxOrKillsItsProcess(Testbed bed) throws Exception {
        bed.daemon().start();
        Process rm = bed.berth().spawn(bed.daemon().socket(), "run-rm", "run", "--rm", "--name", "i1", "--",
                "sleep", "300");
        Process keep = bed.berth().spawn(bed.daemon().socket(), "run-keep", "run", "--name", "i2", "--",
                "sleep", "300");
        eventually("both running", () -> {
            String ps = berth(bed, "ps").stdout();
            return ps.contains("i1") && ps.contains("i2");
        });
        long i1 = pid(bed, "i1");
        long i2 = pid(bed, "i2");
        bed.run(List.of("kill", "-INT", Long.toString(rm.pid()), Long.toString(keep.pid()))).assertSuccess();
        assertTrue(rm.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "berth run --rm ignored SIGINT");
        assertTrue(keep.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "berth run ignored SIGINT");
        eventually("processes killed", () -> gone(i1) && gone(i2));
        CommandResult all = berth(bed, "ps", "-a").assertSuccess();
        assertFalse(all.stdout().contains("i1"), all::describe);
        assertTrue(all.lines().stream().anyMatch(l -> l.endsWith("i2") && l.contains("Exited (137)")),
                all::describe);
        berth(bed, "rm", "i2").assertSuccess();
        assertNothingLeft(bed);
    }

    private static long pid(Testbed bed, String container) throws IOException {
        return JSON.readTree(bed.docker().ok("inspect", container).stdout()).get(0).path("State").path("Pid").asLong();
    }

    @Test
    void daemonStopKillsProcessesAndRestartMarksThemExitedOrRemovesThem(Testbed bed) throws Exception {
        bed.daemon().start();
        berth(bed, "run", "-d", "--name", "s1", "--", "sleep", "300").assertSuccess();
        berth(bed, "run", "-d", "--rm", "--name", "r1", "--", "sleep", "300").assertSuccess();
        long s1 = pid(bed, "s1");
        long r1 = pid(bed, "r1");
        bed.daemon().stop();
        eventually("processes gone", () -> gone(s1) && gone(r1));
        bed.daemon().start();
        CommandResult all = berth(bed, "ps", "-a").assertSuccess();
        assertTrue(all.lines().stream().anyMatch(l -> l.endsWith("s1") && l.contains("Exited (255)")), all::describe);
        assertFalse(all.stdout().contains("r1"), all::describe);
        berth(bed, "rm", "s1").assertSuccess();
        assertNothingLeft(bed);
    }

    @Test
    void aProcessThatOutlivedACrashedDaemonIsKilledAtRestart(Testbed bed) throws Exception {
        bed.daemon().start();
        berth(bed, "run", "-d", "--name", "s1", "--", "sleep", "300").assertSuccess();
        long s1 = pid(bed, "s1");
        bed.daemon().kill9();
        assertFalse(gone(s1), "sleep died with the daemon");
        bed.daemon().start();
        eventually("process " + s1 + " gone", () -> gone(s1));
        berth(bed, "rm", "s1").assertSuccess();
        assertNothingLeft(bed);
    }
}
