package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.DaemonProcess;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Daemon lifecycle and daemon.json: restarts, recreation, bip/mtu, bad config, socket. */
@ExtendWith(TestbedExtension.class)
class DaemonConfigIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FAIL_FAST = Duration.ofSeconds(20);

    @Test
    void networkIdsAreStableAcrossARestart(Testbed bed) {
        bed.daemon().start();
        Map<String, String> before = NetworkIds.fromApi(bed.api());
        assertEquals(Set.of("bridge", "host", "none"), before.keySet());
        bed.daemon().restart();
        assertEquals(before, NetworkIds.fromApi(bed.api()));
        assertEquals(before, NetworkIds.fromDocker(bed.docker()));
    }

    @Test
    void restartAfterSigkillConvergesWithTheSameIds(Testbed bed) {
        bed.daemon().start();
        Map<String, String> before = NetworkIds.fromApi(bed.api());
        bed.daemon().kill9();
        bed.daemon().start();
        assertEquals(before, NetworkIds.fromApi(bed.api()));
        assertEquals(List.of("172.17.0.1/16"), docker0(bed).addresses(true));
    }

    @Test
    void docker0DeletedWhileDownIsRecreatedAtStart(Testbed bed) {
        bed.daemon().start();
        bed.daemon().stop();
        bed.host().ipHost("link", "del", "docker0");
        assertTrue(bed.host().hostLink("docker0").isEmpty());
        bed.daemon().start();
        LinkState docker0 = docker0(bed);
        assertTrue(docker0.isUp(), docker0::toString);
        assertEquals(List.of("172.17.0.1/16"), docker0.addresses(true));
        assertEquals(1500, docker0.mtu());
    }

    @Test
    void bipAndMtuFromDaemonJsonAreApplied(Testbed bed) throws Exception {
        bed.daemon().writeConfig("{\"bip\": \"10.55.0.1/24\", \"mtu\": 1400}\n");
        bed.daemon().start();
        LinkState docker0 = docker0(bed);
        assertEquals(List.of("10.55.0.1/24"), docker0.addresses(true));
        assertEquals(1400, docker0.mtu());
        JsonNode bridge = JSON.readTree(bed.docker().ok("network", "inspect", "bridge").stdout()).get(0);
        assertEquals(JSON.readTree("[{\"Subnet\":\"10.55.0.0/24\",\"Gateway\":\"10.55.0.1\"}]"),
                bridge.path("IPAM").get("Config"));
        assertEquals("1400", bridge.path("Options").path("com.docker.network.driver.mtu").asText());
    }

    @Test
    void missingConfigFileMeansDefaults(Testbed bed) {
        assertFalse(Files.exists(bed.daemon().configFile()));
        bed.daemon().start();
        assertEquals(List.of("172.17.0.1/16"), docker0(bed).addresses(true));
    }

    @Test
    void malformedDaemonJsonStopsTheDaemonNamingFileAndLine(Testbed bed) {
        bed.daemon().writeConfig("{\n  \"bip\": \"10.55.0.1/24\",\n  \"mtu\": ,\n}\n");
        int code = exitCodeOfFailedStart(bed.daemon());
        String stderr = bed.daemon().stderr();
        assertNotEquals(0, code, stderr);
        assertTrue(stderr.contains(bed.daemon().configFile().toString()), () -> "file not named:\n" + stderr);
        assertTrue(Pattern.compile("(?i)(line\\W{0,3}3\\b|json:3\\b)").matcher(stderr).find(),
                () -> "line 3 not named:\n" + stderr);
        assertTrue(bed.host().hostLink("docker0").isEmpty(), "bad config must not touch the kernel");
    }

    @Test
    void unknownKeyInDaemonJsonStopsTheDaemonNamingTheKey(Testbed bed) {
        bed.daemon().writeConfig("{\"mtu\": 1400, \"no-such-option\": true}\n");
        int code = exitCodeOfFailedStart(bed.daemon());
        String stderr = bed.daemon().stderr();
        assertNotEquals(0, code, stderr);
        assertTrue(stderr.contains("no-such-option"), () -> "key not named:\n" + stderr);
        assertTrue(bed.host().hostLink("docker0").isEmpty(), "bad config must not touch the kernel");
    }

    @Test
    void socketIsGroupReadWriteOnly(Testbed bed) throws Exception {
        bed.daemon().start();
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(bed.daemon().socket());
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), mode, PosixFilePermissions.toString(mode));
    }

    @Test
    void sigtermExitsZeroAndRemovesTheSocket(Testbed bed) {
        bed.daemon().start();
        assertTrue(Files.exists(bed.daemon().socket()));
        assertEquals(0, bed.daemon().terminate(), bed.daemon()::logs);
        assertFalse(Files.exists(bed.daemon().socket()), "socket file left behind");
    }

    @Test
    void logFormatJsonStartsAndLogsJsonLines(Testbed bed) throws Exception {
        bed.daemon().start("--log-format", "json");
        bed.daemon().stop();
        for (String line : bed.daemon().stderr().lines().filter(l -> !l.isBlank()).toList()) {
            assertTrue(JSON.readTree(line).isObject(), () -> "not a JSON log line: " + line);
        }
    }

    private static LinkState docker0(Testbed bed) {
        return bed.host().hostLink("docker0").orElseThrow(() -> new AssertionError("no docker0 in " + bed.host().hostNs()));
    }

    private static int exitCodeOfFailedStart(DaemonProcess daemon) {
        daemon.launch();
        Optional<Integer> code = daemon.awaitExit(FAIL_FAST);
        return code.orElseThrow(() -> new AssertionError("daemon kept running with a bad config\n" + daemon.logs()));
    }
}
