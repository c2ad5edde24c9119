package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.BerthBuild;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed Berth at work, in a scratch root: berthd started from the installed
 * {@code /usr/bin/berthd} on its jlinked runtime (in the fixture's namespace, with
 * {@code NOTIFY_SOCKET} as systemd would set it) serves the docker CLI and runs a container; the
 * installed {@code berth uninstall} asks that daemon what runs, refuses naming the container and
 * changes nothing, and with {@code --force} stops it (through the daemon: the container is
 * {@code exited}, not gone) and removes the tree.
 */
@ExtendWith(TestbedExtension.class)
class InstallIT {
    @TempDir
    static Path scratch;
    private static Path root;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // jlink: a minute, more on a loaded machine
    static void install() throws Exception {
        root = Files.createDirectories(scratch.resolve("root"));
        PackageIT.run(List.of(BerthBuild.fromSystemProperty().root().resolve("scripts/install.sh").toString(),
                "install", "--root", root.toString())).ok();
    }

    @Test
    void uninstallAsksTheDaemonAndRefusesWhileAContainerRunsUnlessForced(Testbed bed) throws Exception {
        Path notify = bed.dir().resolve("notify.sock");
        try (SystemdNotifyIT.NotifySocket systemd = SystemdNotifyIT.NotifySocket.bind(notify)) {
            bed.daemon().withProgram(List.of(root.resolve("usr/bin/berthd").toString()))
                    .withEnvironment(Map.of("NOTIFY_SOCKET", notify.toString())).start();
            assertEquals("1", systemd.next(java.time.Duration.ofSeconds(10)).get("READY"), "the installed berthd notifies");
        }
        String version = bed.docker().ok("version", "--format", "{{.Server.Version}}").stdout().trim();
        assertFalse(version.isEmpty());
        String id = bed.docker().ok("run", "-d", "--name", "web", "busybox", "sleep", "300").stdout().trim();
        String host = "unix://" + bed.daemon().socket();
        Path berth = root.resolve("usr/bin/berth");

        PackageIT.Run refused = PackageIT.run(List.of(berth.toString(), "uninstall", "-H", host));
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("uninstall refused: 1 container(s) run on the daemon at " + host
                + " and would stop:"), refused.err());
        assertTrue(refused.err().lines().anyMatch(l -> l.contains(id.substring(0, 12)) && l.endsWith(" web")),
                "names the container: " + refused.err());
        assertTrue(refused.err().contains("uninstall --force"), refused.err());
        assertTrue(Files.isExecutable(berth), "nothing removed");
        assertTrue(Files.isRegularFile(root.resolve("usr/lib/berth/installed-files")));
        assertTrue(running(bed, id), "nothing stopped");

        PackageIT.Run forced = PackageIT.run(List.of(berth.toString(), "uninstall", "-H", host, "--force")).ok();
        assertTrue(forced.out().contains("stopping 1 container(s) that run on the daemon at " + host), forced.out());
        assertTrue(forced.out().contains("stopped " + id.substring(0, 12)), forced.out());
        assertFalse(running(bed, id), "stopped through the daemon");
        assertEquals("exited", bed.docker().ok("inspect", "-f", "{{.State.Status}}", id).stdout().trim(), "stopped, not removed");
        assertFalse(Files.exists(berth));
        assertFalse(Files.exists(root.resolve("usr/lib/berth")));
        assertFalse(Files.exists(root.resolve("usr/lib/systemd/system/berth.service")));
        assertFalse(Files.exists(root.resolve("etc/berth/daemon.json")), "unchanged since install: removed");
        // the daemon, whose program is gone from the disk, still answers until it is stopped
        assertEquals(200, bed.api().send("GET", "/_ping").status());
    }

    private static boolean running(Testbed bed, String id) throws Exception {
        JsonNode state = new ObjectMapper().readTree(bed.api().send("GET", "/v1.50/containers/" + id + "/json").body())
                .path("State");
        return state.path("Running").asBoolean();
    }
}
