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
        Poll.eventually(10, "netns files removed", () -> files(bed.dir().resolve("exec/netns")).isEmpty());
        Poll.eventually(10, "sandbox files removed", () -> files(bed.dir().resolve("exec/sandboxes")).isEmpty());
        Poll.eventually(10, "veths removed", () -> noVeths(bed));
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
        Poll.eventually(10, "process " + pid + " gone", () -> gone(pid));
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
        Poll.eventually(10, "d1 removed", () -> !berth(bed, "ps", "-a").stdout().contains("d1"));
        assertNothingLeft(bed);
    }

    @Test
    void interruptingAnAttachedRunRemovesItsRmSandboxOrKillsItsProcess(Testbed bed) throws Exception {
        bed.daemon().start();
        Process rm = bed.berth().spawn(bed.daemon().socket(), "run-rm", "run", "--rm", "--name", "i1", "--",
                "sleep", "300");
        Process keep = bed.berth().spawn(bed.daemon().socket(), "run-keep", "run", "--name", "i2", "--",
                "sleep", "300");
        Poll.eventually(10, "both running", () -> {
            String ps = berth(bed, "ps").stdout();
            return ps.contains("i1") && ps.contains("i2");
        });
        long i1 = pid(bed, "i1");
        long i2 = pid(bed, "i2");
        bed.run(List.of("kill", "-INT", Long.toString(rm.pid()), Long.toString(keep.pid()))).assertSuccess();
        assertTrue(rm.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "berth run --rm ignored SIGINT");
        assertTrue(keep.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "berth run ignored SIGINT");
        Poll.eventually(10, "processes killed", () -> gone(i1) && gone(i2));
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

    /** A {@code sleep} argument no other test on this machine uses: its processes are found by it. */
    private static String uniqueSeconds(int base) {
        return base + "." + java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    }

    /** PIDs of live (not zombie) processes whose command line is exactly {@code sleep SECONDS}. */
    private static List<Long> sleeping(String seconds) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> commandLine(p).equals("sleep\0" + seconds + "\0"))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .filter(pid -> !gone(pid))
                    .toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String commandLine(Path proc) {
        try {
            return Files.readString(proc.resolve("cmdline"));
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void removingASandboxEndsEveryProcessInItAndItsMainProcessEndingEndsThemToo(Testbed bed) throws Exception {
        bed.daemon().start();
        String a = uniqueSeconds(4242);
        String b = uniqueSeconds(4243);
        String e = uniqueSeconds(4245);
        berth(bed, "run", "-d", "--name", "k1", "--", "sh", "-c", "sleep " + a + " & sleep " + b).assertSuccess();
        Poll.eventually(10, "both sleeps run", () -> sleeping(a).size() == 1 && sleeping(b).size() == 1);
        Process exec = bed.berth().spawn(bed.daemon().socket(), "exec-sleep", "exec", "k1", "--", "sleep", e);
        try {
            Poll.eventually(10, "the exec'd sleep runs", () -> sleeping(e).size() == 1);
            berth(bed, "rm", "-f", "k1").assertSuccess();
            Poll.eventually(10, "no sleep of k1 left", () -> sleeping(a).isEmpty() && sleeping(b).isEmpty()
                    && sleeping(e).isEmpty());
            assertTrue(exec.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "berth exec outlived the sandbox");
        } finally {
            exec.destroyForcibly();
        }

        String c = uniqueSeconds(4246);
        berth(bed, "run", "-d", "--name", "k2", "--", "sh", "-c", "sleep " + c + " & sleep 1; exit 4").assertSuccess();
        Poll.eventually(10, "k2's background sleep runs", () -> sleeping(c).size() == 1);
        assertEquals(4, Integer.parseInt(bed.docker().ok("wait", "k2").stdout().strip()));
        Poll.eventually(10, "k2's background sleep ended with its main process", () -> sleeping(c).isEmpty());
        berth(bed, "rm", "k2").assertSuccess();
        assertNothingLeft(bed);
    }

    @Test
    void sandboxesOutliveACrashedDaemonAndAreAdoptedWithTheExitStatusesOfTheDowntime(Testbed bed)
            throws Exception {
        bed.daemon().start();
        String main = uniqueSeconds(4247);
        String child = uniqueSeconds(4248);
        berth(bed, "run", "-d", "--name", "s1", "--", "sh", "-c", "sleep " + child + " & exec sleep " + main)
                .assertSuccess();
        berth(bed, "run", "-d", "--name", "s2", "--", "sh", "-c", "sleep 2; exit 7").assertSuccess();
        berth(bed, "run", "-d", "--rm", "--name", "r1", "--", "sleep", "2").assertSuccess();
        Poll.eventually(10, "s1's sleeps run", () -> sleeping(main).size() == 1 && sleeping(child).size() == 1);
        long s1 = pid(bed, "s1");
        long s2 = pid(bed, "s2");
        bed.daemon().kill9();
        Thread.sleep(500);
        assertFalse(gone(s1), "s1 died with the daemon");
        assertEquals(1, sleeping(child).size(), "s1's child died with the daemon");
        Poll.eventually(10, "s2 ends while no daemon runs", () -> gone(s2));
        Thread.sleep(2500);

        bed.daemon().start();
        CommandResult all = berth(bed, "ps", "-a").assertSuccess();
        assertTrue(all.lines().stream().anyMatch(l -> l.endsWith("s1") && l.contains("Up ")), all::describe);
        assertTrue(all.lines().stream().anyMatch(l -> l.endsWith("s2") && l.contains("Exited (7)")), all::describe);
        assertFalse(all.stdout().contains("r1"), "an --rm sandbox that exited meanwhile is removed: " + all.describe());
        JsonNode state = JSON.readTree(bed.docker().ok("inspect", "s1").stdout()).get(0).path("State");
        assertTrue(state.path("Running").asBoolean(), state::toString);
        assertEquals(s1, state.path("Pid").asLong(), state::toString);
        assertEquals("7", bed.docker().ok("wait", "s2").stdout().strip());
        assertEquals("hi", berth(bed, "exec", "s1", "--", "echo", "hi").assertSuccess().stdout().strip());

        Path waitOut = bed.dir().resolve("wait-s1.out");
        Process waiting = bed.docker().start(waitOut, bed.dir().resolve("wait-s1.err"), "wait", "s1");
        Thread.sleep(500);
        bed.docker().ok("kill", "s1");
        assertTrue(waiting.waitFor(15, java.util.concurrent.TimeUnit.SECONDS), "docker wait s1 did not return");
        assertEquals("137", Files.readString(waitOut).strip(), "docker wait on an adopted sandbox");
        Poll.eventually(10, "s1's processes all ended", () -> sleeping(main).isEmpty() && sleeping(child).isEmpty());
        CommandResult after = berth(bed, "ps", "-a").assertSuccess();
        assertTrue(after.lines().stream().anyMatch(l -> l.endsWith("s1") && l.contains("Exited (137)")),
                after::describe);
        berth(bed, "rm", "s1", "s2").assertSuccess();
        assertNothingLeft(bed);
    }

    @Test
    void aStoppedDaemonLeavesSandboxesRunningAndTheNextOneRemovesThemWhole(Testbed bed) throws Exception {
        bed.daemon().start();
        String main = uniqueSeconds(4249);
        String child = uniqueSeconds(4250);
        berth(bed, "run", "-d", "--name", "t1", "--", "sh", "-c", "sleep " + child + " & exec sleep " + main)
                .assertSuccess();
        Poll.eventually(10, "t1's sleeps run", () -> sleeping(main).size() == 1 && sleeping(child).size() == 1);
        bed.daemon().stop();
        Thread.sleep(500);
        assertEquals(1, sleeping(main).size(), "SIGTERM of the daemon ended the sandbox's process");
        assertEquals(1, sleeping(child).size(), "SIGTERM of the daemon ended the sandbox's child");
        bed.daemon().start();
        CommandResult all = berth(bed, "ps").assertSuccess();
        assertTrue(all.lines().stream().anyMatch(l -> l.endsWith("t1") && l.contains("Up ")), all::describe);
        CommandResult ps = berth(bed, "exec", "t1", "--", "ps", "-e", "-o", "pid=,args=").assertSuccess();
        assertEquals(List.of("1 sleep " + main, "sleep " + child, "ps -e -o pid=,args="),
                ps.lines().stream().map(l -> l.strip().startsWith("1 ") ? l.strip() : l.strip().split(" ", 2)[1])
                        .toList(), "only the sandbox's processes, in its own PID namespace: " + ps.describe());
        berth(bed, "rm", "-f", "t1").assertSuccess();
        Poll.eventually(10, "t1's processes all ended", () -> sleeping(main).isEmpty() && sleeping(child).isEmpty());
        assertNothingLeft(bed);
    }

    @Test
    void anAttachedRunLosesItsStreamWithTheDaemonWhileItsProcessGoesOn(Testbed bed) throws Exception {
        bed.daemon().start();
        Path err = bed.dir().resolve("attached.err");
        Process run = bed.berth().spawn(bed.daemon().socket(), "attached", "run", "--name", "a1", "--", "sh", "-c",
                "echo one; sleep 5; echo two; exit 3");
        try {
            Poll.eventually(10, "a1 runs", () -> berth(bed, "ps").stdout().contains("a1"));
            Thread.sleep(500);
            bed.daemon().kill9();
            assertTrue(run.waitFor(15, java.util.concurrent.TimeUnit.SECONDS), "berth run hangs without a daemon");
            assertEquals(125, run.exitValue(), () -> read(err));
            assertTrue(read(err).contains("keeps running"), () -> read(err));
        } finally {
            run.destroyForcibly();
        }
        bed.daemon().start();
        assertEquals("3", bed.docker().ok("wait", "a1").stdout().strip());
        String id = JSON.readTree(bed.docker().ok("inspect", "a1").stdout()).get(0).path("Id").asText();
        assertEquals("one\ntwo\n", read(bed.dir().resolve("exec/sandboxes/" + id + "/output.log")),
                "the output goes on to the log while no one streams it");
        berth(bed, "rm", "a1").assertSuccess();
        assertNothingLeft(bed);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
