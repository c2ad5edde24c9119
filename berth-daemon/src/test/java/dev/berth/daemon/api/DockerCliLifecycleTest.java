package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Containers from an image through the real docker CLI: run -d, ps, inspect, stop, kill, restart,
 * rename, wait, restart policies, rm, and bad input; the processes are acted out by a
 * {@link ScriptedLauncher}, the image is a {@link FakeImages} busybox.
 */
class DockerCliLifecycleTest extends DockerCliCase {
    private final ScriptedLauncher launcher = new ScriptedLauncher();
    private final FakeImages images = new FakeImages();

    @Override
    TestDaemon newDaemon(Path dir, Clock clock) {
        return new TestDaemon(dir, clock, launcher, images);
    }

    private String inspect(String format, String container) throws Exception {
        return ok("inspect", "-f", format, container).out().strip();
    }

    @Test
    void runDetachedPsAndInspectShowTheContainer() throws Exception {
        String id = ok("run", "-d", "--name", "c1", "-e", "A=1", "-l", "tier=web", "busybox", "sleep", "1000").out()
                .strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        List<String> ps = ok("ps").out().lines().toList();
        assertEquals(2, ps.size(), ps::toString);
        assertTrue(ps.get(1).matches(id.substring(0, 12) + " +busybox +\"sleep 1000\" +.* ago +Up .* +c1"), ps.get(1));
        assertEquals("running busybox [\"sleep\",\"1000\"] " + FakeImages.BUSYBOX.id() + " 0",
                inspect("{{.State.Status}} {{.Config.Image}} {{json .Config.Cmd}} {{.Image}} {{.RestartCount}}", "c1"));
        assertEquals("[\"A=1\",\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]",
                inspect("{{json .Config.Env}}", "c1"));
        assertEquals("{\"org.example.base\":\"busybox\",\"tier\":\"web\"}", inspect("{{json .Config.Labels}}", "c1"));
        assertEquals("sleep [1000] true", inspect("{{.Path}} {{.Args}} {{.State.Running}}", "c1"));
        assertEquals(List.of(launcher.launched.getFirst().rootfs()), List.of("/var/lib/berth/rootfs/" + id + "/merged"));
        assertEquals("c1\n", ok("ps", "--filter", "ancestor=busybox", "--format", "{{.Names}}").out());
        assertEquals("c1\n", ok("ps", "--filter", "label=tier=web", "--format", "{{.Names}}").out());
        assertEquals("", ok("ps", "--filter", "label=tier=db", "--format", "{{.Names}}").out());
        assertEquals("Error response from daemon: invalid filter 'color'",
                fails("ps", "--filter", "color=red"));
    }

    @Test
    void stopWaitAndExitCodesAsDockerPrintsThem() throws Exception {
        ok("run", "-d", "--name", "c1", "busybox", "sleep", "1000");
        assertEquals("c1\n", ok("stop", "-t", "1", "c1").out());
        assertEquals("143", inspect("{{.State.ExitCode}}", "c1"));
        assertEquals("exited false", inspect("{{.State.Status}} {{.State.Running}}", "c1"));
        assertEquals("c1\n", ok("stop", "c1").out(), "304: the CLI says nothing more");
        List<String> all = ok("ps", "-a", "--format", "{{.Names}} {{.Status}}").out().lines().toList();
        assertTrue(all.getFirst().matches("c1 Exited \\(143\\) .* ago"), all.toString());
        assertEquals("", ok("ps", "-q").out());
        ok("run", "-d", "--name", "three", "busybox", "sh", "-c", "exit 3");
        assertEquals("3\n", ok("wait", "three").out());
        assertEquals("3", inspect("{{.State.ExitCode}}", "three"));
        assertEquals("three\n", ok("ps", "-a", "--filter", "exited=3", "--format", "{{.Names}}").out());
        assertEquals("c1\nthree\n", ok("ps", "--filter", "status=exited", "--format", "{{.Names}}").out().lines()
                .sorted().map(l -> l + "\n").reduce("", String::concat));
    }

    @Test
    void killSendsTheSignalAndRefusesWhatIsNotRunning() throws Exception {
        ok("run", "-d", "--name", "trapper", "busybox", "sh", "-c", "trap 'exit 143' TERM; while :; do sleep 1; done");
        assertEquals("Error response from daemon: Invalid signal: NOPE", fails("kill", "-s", "NOPE", "trapper"));
        assertEquals("trapper\n", ok("kill", "-s", "TERM", "trapper").out());
        assertEquals("143\n", ok("wait", "trapper").out());
        String id = inspect("{{.Id}}", "trapper");
        assertEquals("Error response from daemon: Cannot kill container: trapper: container " + id + " is not running",
                fails("kill", "trapper"));
    }

    @Test
    void restartRenameAndRemove() throws Exception {
        String id = ok("run", "-d", "--name", "c1", "busybox", "sleep", "1000").out().strip();
        assertEquals("c1\n", ok("restart", "-t", "0", "c1").out());
        assertEquals("running", inspect("{{.State.Status}}", "c1"));
        ok("run", "-d", "--name", "c2", "busybox", "sleep", "1000");
        String taken = fails("rename", "c1", "c2");
        assertTrue(taken.contains("Conflict. The container name \"/c2\" is already in use"), taken);
        ok("rename", "c1", "web");
        assertEquals("/web", inspect("{{.Name}}", id));
        String running = fails("rm", "web");
        assertTrue(running.contains("container is running: stop the container before removing or force remove"),
                running);
        assertEquals("web\n", ok("rm", "-f", "web").out());
        assertTrue(!images.mounted.contains(new dev.berth.core.model.SandboxId(id)), "the rootfs is released");
    }

    @Test
    void onFailureRestartsAndCountsAndWaitWaitsForTheLastExit() throws Exception {
        ok("run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 1");
        assertEquals("1\n", ok("wait", "flaky").out());
        assertEquals("exited 2 on-failure 2", inspect("{{.State.Status}} {{.RestartCount}}"
                + " {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", "flaky"));
        assertEquals(3, launcher.launched.size());
    }

    @Test
    void aMissingImageIsTheOnly404AndBadValuesAre400WithMobysWords() throws Exception {
        DockerCli.Run missing = docker.run("create", "alpine");
        assertTrue(missing.err().contains("Unable to find image 'alpine:latest' locally"), missing.err());
        String network = fails("create", "--network", "nosuch", "busybox");
        assertEquals("Error response from daemon: network nosuch not found", network);
        DockerCli.Run client = docker.run("create", "--rm", "--restart", "always", "busybox");
        assertEquals(125, client.exit(), "the CLI refuses this one itself: " + client.err());
        RawHttp.Response both = daemon.http().send("POST", "/v1.50/containers/create", "application/json",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"}}}");
        assertEquals(400, both.status());
        assertEquals("{\"message\":\"can't create 'AutoRemove' container with restart policy\"}\n", both.body());
        String bind = fails("create", "-v", "/srv:data", "busybox");
        assertTrue(bind.contains("mount path must be absolute"), bind);
        assertEquals("Error response from daemon: max-file cannot be less than 1",
                fails("create", "--log-opt", "max-file=0", "busybox"));
        assertEquals("Error response from daemon: Minimum memory limit allowed is 6MB",
                fails("create", "--memory", "1k", "busybox"));
        assertEquals("Error response from daemon: unknown capability: \"CAP_FLY\"",
                fails("create", "--cap-add", "FLY", "busybox"));
        assertEquals("", ok("ps", "-aq").out(), "nothing was made");
    }

    @Test
    void aCommandTheRuntimeCannotFindExits127WithItsError() throws Exception {
        DockerCli.Run run = docker.run("run", "-d", "--name", "bad", "busybox", "nosuch");
        assertEquals(127, run.exit(), run.err());
        assertTrue(run.err().contains("executable file not found in $PATH"), run.err());
        assertEquals("created 127", inspect("{{.State.Status}} {{.State.ExitCode}}", "bad"));
        assertTrue(inspect("{{.State.Error}}", "bad").contains("executable file not found"));
    }

    @Test
    void hostConfigAndMountsAreShownAsGiven() throws Exception {
        ok("create", "--name", "c1", "-v", "/srv:/data:ro", "--tmpfs", "/run:size=64m", "--read-only",
                "--memory", "64m", "--cpus", "1.5", "--pids-limit", "100", "--cap-add", "NET_ADMIN",
                "--restart", "unless-stopped", "--log-opt", "max-size=10m", "--log-opt", "max-file=3",
                "-w", "/work", "-u", "1000", "--hostname", "box", "--stop-signal", "SIGINT", "--stop-timeout", "3",
                "busybox");
        assertEquals("[\"/srv:/data:ro\"] {\"/run\":\"size=64m\"} true 67108864 1500000000 100 [\"CAP_NET_ADMIN\"]"
                + " unless-stopped json-file {\"max-file\":\"3\",\"max-size\":\"10m\"}",
                inspect("{{json .HostConfig.Binds}} {{json .HostConfig.Tmpfs}} {{.HostConfig.ReadonlyRootfs}}"
                        + " {{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}"
                        + " {{json .HostConfig.CapAdd}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.LogConfig.Type}}"
                        + " {{json .HostConfig.LogConfig.Config}}", "c1"));
        assertEquals("[{\"Type\":\"bind\",\"Source\":\"/srv\",\"Destination\":\"/data\",\"Mode\":\"ro\",\"RW\":false,"
                + "\"Propagation\":\"rprivate\"}]", inspect("{{json .Mounts}}", "c1"));
        assertEquals("/work 1000 box SIGINT 3 created",
                inspect("{{.Config.WorkingDir}} {{.Config.User}} {{.Config.Hostname}} {{.Config.StopSignal}}"
                        + " {{.Config.StopTimeout}} {{.State.Status}}", "c1"));
        assertEquals("c1 Created\n", ok("ps", "-a", "--format", "{{.Names}} {{.Status}}").out());
    }
}
