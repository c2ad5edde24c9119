package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The create options of {@code docker run} that concern the process, checked from inside real
 * containers (runc under conmon) with the real docker CLI: environment, working directory, user,
 * entrypoint, hostname, bind mounts and tmpfs, a read-only root, cgroup limits (read from the
 * host's cgroup v1 hierarchies), capabilities and privileged mode; then rename, restart, top,
 * ps filters, inspect, restart policies (also across daemon restarts) and the terminal size
 * {@code docker run -it} sends. Each test removes its containers and networks.
 */
@ExtendWith(TestbedExtension.class)
class RunOptionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode inspect(Testbed bed, String container) throws IOException {
        return JSON.readTree(bed.docker().ok("inspect", container).stdout()).get(0);
    }

    /** {@code docker run --rm busybox sh -c script} with {@code options} before the image: its result. */
    private static CommandResult sh(Testbed bed, List<String> options, String script) {
        List<String> argv = new ArrayList<>(List.of("run", "--rm"));
        argv.addAll(options);
        argv.addAll(List.of("busybox", "sh", "-c", script));
        return bed.docker().run(argv.toArray(String[]::new));
    }

    private static String ok(CommandResult r) {
        assertEquals(0, r.exitCode(), r::describe);
        return r.stdout();
    }

    @Test
    void environmentDirectoryUserEntrypointAndHostname(Testbed bed) throws IOException {
        bed.daemon().start();
        Path envFile = bed.dir().resolve("app.env");
        Files.writeString(envFile, "# comment\nFROM_FILE=yes\nBOTH=file\n");
        String env = ok(sh(bed, List.of("-e", "A=1", "-e", "BOTH=flag", "--env-file", envFile.toString()), "env"));
        assertTrue(env.lines().toList().containsAll(List.of("A=1", "FROM_FILE=yes", "HOME=/root")), env);
        assertTrue(env.contains("PATH=/usr/local/sbin:"), env);
        // the CLI puts --env-file entries before -e ones; the later wins
        assertTrue(env.lines().anyMatch("BOTH=flag"::equals), env);

        assertEquals("/srv/app\n", ok(sh(bed, List.of("-w", "/srv/app"), "pwd")));
        // the primary group is a supplementary one too, as moby sets it (CVE-2022-36109)
        assertEquals("uid=65534(nobody) gid=65534(nobody) groups=65534(nobody)\n",
                ok(sh(bed, List.of("-u", "65534:65534"), "id")));
        assertEquals("uid=65534(nobody) gid=65534(nobody) groups=65534(nobody)\n",
                ok(sh(bed, List.of("-u", "nobody"), "id")));
        assertEquals("uid=0(root) gid=0(root) groups=0(root)\n", ok(sh(bed, List.of(), "id")));

        CommandResult entry = bed.docker().run("run", "--rm", "--entrypoint", "echo", "busybox", "from", "entrypoint");
        assertEquals("from entrypoint\n", ok(entry));
        CommandResult inspectEntry = bed.docker().run("run", "--rm", "--entrypoint", "/bin/sh", "busybox", "-c", "echo $0");
        assertEquals("/bin/sh\n", ok(inspectEntry));

        String host = ok(sh(bed, List.of("--hostname", "box1"), "hostname; cat /etc/hostname; echo $HOSTNAME"));
        assertEquals("box1\nbox1\nbox1\n", host);
    }

    @Test
    void bindMountsTmpfsAndAReadOnlyRoot(Testbed bed) throws IOException {
        bed.daemon().start();
        Path data = Files.createDirectories(bed.dir().resolve("vol"));
        Files.writeString(data.resolve("in.txt"), "from-host\n");
        String rw = ok(sh(bed, List.of("-v", data + ":/data"), "cat /data/in.txt; echo from-container > /data/out.txt"));
        assertEquals("from-host\n", rw);
        assertEquals("from-container\n", Files.readString(data.resolve("out.txt")));

        CommandResult ro = sh(bed, List.of("-v", data + ":/data:ro"), "cat /data/in.txt; echo x > /data/ro.txt");
        assertNotEquals(0, ro.exitCode(), ro::describe);
        assertTrue(ro.stdout().contains("from-host") && ro.stderr().contains("Read-only file system"), ro::describe);
        assertFalse(Files.exists(data.resolve("ro.txt")));

        String tmpfs = ok(sh(bed, List.of("--tmpfs", "/run:size=1m"), "grep ' /run ' /proc/mounts; df -k /run | tail -1"));
        assertTrue(tmpfs.matches("(?s)tmpfs /run tmpfs rw,[^\\n]*size=1024k.*"), tmpfs);
        assertTrue(tmpfs.lines().toList().getLast().matches("tmpfs\\s+1024\\s+0\\s+1024\\s+0% /run"), tmpfs);

        CommandResult readOnly = sh(bed, List.of("--read-only"), "touch /x 2>&1; touch /tmp/x 2>&1; echo done");
        assertEquals(0, readOnly.exitCode(), readOnly::describe);
        assertEquals(List.of("touch: /x: Read-only file system", "touch: /tmp/x: Read-only file system", "done"),
                readOnly.lines(), readOnly::describe);
        String withTmp = ok(sh(bed, List.of("--read-only", "--tmpfs", "/tmp"),
                "touch /tmp/x && echo tmp-ok; touch /y 2>&1; echo done"));
        assertEquals("tmp-ok\ntouch: /y: Read-only file system\ndone\n", withTmp);
    }

    /** {@code /sys/fs/cgroup/<controller>/<path>/<file>} of the process, its path from {@code /proc/PID/cgroup}. */
    private static String cgroupFile(long pid, String controller, String file) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (List.of(parts[1].split(",")).contains(controller)) {
                return Files.readString(Path.of("/sys/fs/cgroup/" + controller + parts[2] + "/" + file)).strip();
            }
        }
        throw new AssertionError("no " + controller + " cgroup for " + pid);
    }

    @Test
    void limitsCapabilitiesAndPrivileged(Testbed bed) throws Exception {
        bed.daemon().start();
        bed.docker().ok("run", "-d", "--name", "limited", "--memory", "32m", "--cpus", "0.5", "--pids-limit", "20",
                "busybox", "sleep", "600");
        long pid = inspect(bed, "limited").path("State").path("Pid").asLong();
        assertEquals(String.valueOf(32L << 20), cgroupFile(pid, "memory", "memory.limit_in_bytes"));
        assertEquals("50000", cgroupFile(pid, "cpu", "cpu.cfs_quota_us"));
        assertEquals("100000", cgroupFile(pid, "cpu", "cpu.cfs_period_us"));
        assertEquals("20", cgroupFile(pid, "pids", "pids.max"));
        // the limit holds: sleep 600, the exec's shell and 18 sleeps make 20, the next fork fails and the
        // shell dies: 19 tasks stay
        CommandResult forks = bed.docker().run("exec", "limited", "sh", "-c", "for i in $(seq 30); do sleep 60 & done");
        assertTrue(forks.exitCode() != 0 && forks.stderr().contains("can't fork"), forks::describe);
        assertEquals("19", cgroupFile(pid, "pids", "pids.current"), forks::describe);
        JsonNode host = inspect(bed, "limited").path("HostConfig");
        assertEquals(32L << 20, host.path("Memory").asLong(), host::toString);
        assertEquals(500_000_000L, host.path("NanoCpus").asLong(), host::toString);
        assertEquals(20, host.path("PidsLimit").asLong(), host::toString);
        bed.docker().ok("rm", "-f", "limited");

        // CapEff as hex: NET_RAW is bit 13, NET_ADMIN bit 12
        long defaults = capEff(ok(sh(bed, List.of(), "grep CapEff /proc/self/status")));
        assertTrue((defaults & (1L << 13)) != 0 && (defaults & (1L << 12)) == 0, Long.toHexString(defaults));
        long dropped = capEff(ok(sh(bed, List.of("--cap-drop", "NET_RAW"), "grep CapEff /proc/self/status")));
        assertEquals(defaults & ~(1L << 13), dropped, Long.toHexString(dropped));
        // Debian's busybox ping opens a raw socket only (no datagram fallback): NET_RAW decides
        CommandResult ping = sh(bed, List.of("--cap-drop", "NET_RAW"), "ping -c1 -W1 127.0.0.1 2>&1; echo rc=$?");
        assertTrue(ping.stdout().contains("permission denied") && ping.stdout().contains("rc=1"), ping::describe);
        CommandResult pingAllowed = sh(bed, List.of(), "ping -c1 -W1 127.0.0.1 2>&1; echo rc=$?");
        assertTrue(pingAllowed.stdout().contains("1 packets received") && pingAllowed.stdout().contains("rc=0"),
                pingAllowed::describe);

        // a link of its own in the container's network namespace (veth: this VM's kernel has no dummy driver)
        CommandResult noAdmin = sh(bed, List.of(), "ip link add v0 type veth peer name v1 2>&1; echo rc=$?");
        assertTrue(noAdmin.stdout().contains("Operation not permitted"), noAdmin::describe);
        String admin = ok(sh(bed, List.of("--cap-add", "NET_ADMIN"), "ip link add v0 type veth peer name v1 && ip link show v0"));
        assertTrue(admin.contains("v0@"), admin);

        String privileged = ok(sh(bed, List.of("--privileged"),
                "grep CapEff /proc/self/status; mkdir -p /m && mount -t tmpfs none /m && echo mounted; ip link add v0 type veth peer name v1 && echo linked"));
        long all = capEff(privileged);
        assertEquals(capBnd(Files.readString(Path.of("/proc/self/status"))), all, privileged);
        assertTrue(privileged.contains("mounted\n") && privileged.contains("linked\n"), privileged);
        CommandResult unprivilegedMount = sh(bed, List.of(), "mkdir -p /m && mount -t tmpfs none /m 2>&1; echo rc=$?");
        assertTrue(unprivilegedMount.stdout().contains("rc=") && !unprivilegedMount.stdout().contains("rc=0"),
                unprivilegedMount::describe);

        // seccomp, as Docker's profile: a raw clone(CLONE_NEWUSER | SIGCHLD) is refused with EPERM (a
        // user namespace needs no capability: only the filter stops it), unless CAP_SYS_ADMIN. The
        // host's python3 is mounted in to make the call; a child that got through exits at once.
        List<String> python = List.of("-v", "/usr:/usr:ro", "-v", "/usr/lib:/lib:ro", "-v", "/usr/lib64:/lib64:ro");
        String cloneNewUser = "/usr/bin/python3 -c 'import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); "
                + "r = libc.syscall(56, 0x10000011, 0, 0, 0, 0); r == 0 and os._exit(0); "
                + "print(\"refused\" if r < 0 else \"made\", ctypes.get_errno())'";
        assertEquals("refused 1", ok(sh(bed, python, cloneNewUser)).strip());
        List<String> sysAdmin = new ArrayList<>(python);
        sysAdmin.addAll(List.of("--cap-add", "SYS_ADMIN"));
        assertEquals("made 0", ok(sh(bed, sysAdmin, cloneNewUser)).strip());
    }

    private static long capEff(String status) {
        return Long.parseUnsignedLong(status.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow()
                .substring(7).strip(), 16);
    }

    private static long capBnd(String status) {
        return Long.parseUnsignedLong(status.lines().filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow()
                .substring(7).strip(), 16);
    }

    @Test
    void renameRestartTopPsInspectAndOnFailure(Testbed bed) throws Exception {
        bed.daemon().start();
        bed.docker().ok("network", "create", "optnet");
        bed.docker().ok("run", "-d", "--name", "before", "--network", "optnet", "-e", "K=v",
                "--restart", "on-failure:5", "busybox", "sleep", "600");
        bed.docker().ok("rename", "before", "after");
        CommandResult byNewName = bed.docker().run("run", "--rm", "--network", "optnet", "busybox", "ping", "-c1", "-W2", "after");
        assertEquals(0, byNewName.exitCode(), byNewName::describe);
        CommandResult byOldName = bed.docker().run("run", "--rm", "--network", "optnet", "busybox", "nslookup", "before");
        assertNotEquals(0, byOldName.exitCode(), byOldName::describe);

        long pid = inspect(bed, "after").path("State").path("Pid").asLong();
        bed.docker().ok("restart", "-t", "1", "after");
        JsonNode state = inspect(bed, "after").path("State");
        assertTrue(state.path("Running").asBoolean(), state::toString);
        assertNotEquals(pid, state.path("Pid").asLong(), state::toString);
        CommandResult top = bed.docker().ok("top", "after");
        assertTrue(top.stdout().contains("sleep 600"), top::describe);

        JsonNode after = inspect(bed, "after");
        assertTrue(after.path("Config").path("Env").toString().contains("\"K=v\""), after.path("Config")::toString);
        assertEquals("on-failure", after.path("HostConfig").path("RestartPolicy").path("Name").asText());
        assertEquals(5, after.path("HostConfig").path("RestartPolicy").path("MaximumRetryCount").asInt());

        bed.docker().ok("run", "-d", "--name", "failing", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 1");
        Poll.eventually(20, "on-failure:2 gives up after two restarts", () -> {
            try {
                JsonNode s = inspect(bed, "failing");
                return s.path("State").path("Status").asText().equals("exited") && s.path("RestartCount").asInt() == 2;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        JsonNode failing = inspect(bed, "failing");
        assertEquals(1, failing.path("State").path("ExitCode").asInt(), failing::toString);
        assertEquals("1", bed.docker().ok("wait", "failing").stdout().strip());

        List<String> exited = bed.docker().ok("ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}").lines();
        assertEquals(List.of("failing"), exited);
        List<String> running = bed.docker().ok("ps", "--format", "{{.Names}}").lines();
        assertEquals(List.of("after"), running);
        bed.docker().ok("rm", "-f", "after", "failing");
        bed.docker().ok("network", "rm", "optnet");
        assertEquals("", bed.docker().ok("ps", "-aq").stdout().strip());
    }

    @Test
    void restartPoliciesAcrossDaemonRestarts(Testbed bed) throws Exception {
        bed.daemon().start();
        bed.docker().ok("run", "-d", "--name", "always", "--restart", "always", "busybox", "sleep", "600");
        bed.docker().ok("run", "-d", "--name", "unless", "--restart", "unless-stopped", "busybox", "sleep", "600");
        bed.docker().ok("stop", "-t", "1", "unless");
        bed.docker().ok("run", "-d", "--name", "stopped-always", "--restart", "always", "busybox", "sleep", "600");
        bed.docker().ok("stop", "-t", "1", "stopped-always");
        long pid = inspect(bed, "always").path("State").path("Pid").asLong();

        bed.daemon().restart();
        JsonNode kept = inspect(bed, "always").path("State");
        assertTrue(kept.path("Running").asBoolean(), kept::toString);
        assertEquals(pid, kept.path("Pid").asLong(), "live restore: the same process " + kept);
        assertEquals("exited", inspect(bed, "unless").path("State").path("Status").asText());
        // moby: always starts a container the user stopped again when the daemon starts
        Poll.eventually(10, "the stopped always container runs again",
                () -> running(bed, "stopped-always"));

        bed.daemon().stop();
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "runs while no daemon does");
        bed.run(List.of("kill", "-KILL", String.valueOf(pid))).assertSuccess();
        Poll.eventually(5, "PID 1 is gone", () -> !Files.exists(Path.of("/proc/" + pid)));
        bed.daemon().start();
        Poll.eventually(10, "always is running again", () -> {
            try {
                JsonNode s = inspect(bed, "always").path("State");
                return s.path("Running").asBoolean() && s.path("Pid").asLong() != pid;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals("exited", inspect(bed, "unless").path("State").path("Status").asText());
        bed.docker().ok("rm", "-f", "always", "unless", "stopped-always");
        assertEquals("", bed.docker().ok("ps", "-aq").stdout().strip());
    }

    private static boolean running(Testbed bed, String name) {
        try {
            return inspect(bed, name).path("State").path("Running").asBoolean();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTerminalHasTheClientsSizeFromTheStart(Testbed bed) {
        bed.daemon().start();
        CommandResult tty = bed.docker().shell("script -qec \"stty rows 30 cols 100; docker run -it --rm"
                + " busybox stty size\" /dev/null < /dev/null");
        assertEquals(0, tty.exitCode(), tty::describe);
        // without the size busybox's stty prints "stty: standard input" and exits 0: the output is the proof
        assertTrue(tty.stdout().contains("30 100"), tty::describe);
        // a process that ends at once still gives its status through the terminal run
        CommandResult failing = bed.docker().shell("script -qec \"docker run -it --rm busybox false\" /dev/null < /dev/null");
        assertEquals(1, failing.exitCode(), failing::describe);
    }
}
