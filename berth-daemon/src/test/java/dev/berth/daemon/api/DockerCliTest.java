package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real docker CLI against our server: no privileges needed, skipped when the CLI is missing.
 * Proves what raw tests cannot: that the CLI negotiates, decodes and prints what we send.
 */
class DockerCliTest extends DockerCliCase {
    /** Fixed at {@link TestDaemon#CREATED}: the predefined networks' creation time is printed. */
    @Override
    Clock clock() {
        return Clock.fixed(TestDaemon.CREATED, ZoneOffset.UTC);
    }

    @Test
    void networkLsPrintsHeaderAndThreeRows() throws Exception {
        DockerCli.Run run = docker.run("network", "ls");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(4, lines.size(), run.out());
        assertTrue(lines.get(0).matches("NETWORK ID\\s+NAME\\s+DRIVER\\s+SCOPE"), lines.get(0));
        assertTrue(lines.get(1).matches("[0-9a-f]{12}\\s+bridge\\s+bridge\\s+local"), lines.get(1));
        assertTrue(lines.get(2).matches("[0-9a-f]{12}\\s+host\\s+host\\s+local"), lines.get(2));
        assertTrue(lines.get(3).matches("[0-9a-f]{12}\\s+none\\s+null\\s+local"), lines.get(3));
    }

    @Test
    void networkLsWithFilterAndFormat() throws Exception {
        DockerCli.Run run = docker.run("network", "ls", "-f", "driver=bridge", "--format", "{{.Name}} {{.IPv4}} {{.CreatedAt}}");
        assertEquals(0, run.exit(), run.err());
        assertEquals("bridge true 2026-11-28 01:03:27.581170769 +0000 UTC\n", run.out());
    }

    @Test
    void networkInspectBridgeShowsDockersKeyOrder() throws Exception {
        DockerCli.Run run = docker.run("network", "inspect", "bridge");
        assertEquals(0, run.exit(), run.err());
        JsonNode ours = new ObjectMapper().readTree(run.out()).get(0);
        List<String> expected = NetworkJsonTest.keys(dockerSample());
        expected.add(expected.indexOf("EnableIPv6"), "EnableIPv4");
        assertEquals(expected, NetworkJsonTest.keys(ours));
        assertTrue(run.out().startsWith("[\n    {\n        \"Name\": \"bridge\",\n"), run.out());
    }

    @Test
    void networkInspectUnknownPrintsDaemonMessage() throws Exception {
        DockerCli.Run run = docker.run("network", "inspect", "nosuch");
        assertEquals(1, run.exit());
        assertEquals("[]\n", run.out());
        assertTrue(run.err().contains("Error response from daemon: network nosuch not found\n"), run.err());
    }

    @Test
    void versionPrintsServerSection() throws Exception {
        DockerCli.Run run = docker.run("version");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("Server: Berth"), run.out());
        // the engine version is the Docker release whose API Berth serves; Berth's own is a component
        assertTrue(run.out().contains(" Engine:\n  Version:          28.2.2\n"), run.out());
        assertTrue(run.out().contains("API version:      1.50 (minimum version 1.24)"), run.out());
        assertTrue(run.out().contains(" Berth:\n  Version:          0.1.0-test\n"), run.out());
    }

    @Test
    void infoPrintsSaneOutput() throws Exception {
        DockerCli.Run run = docker.run("info");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("Server Version: 28.2.2"), run.out());
        assertTrue(run.out().contains("Network: bridge host null"), run.out());
        assertTrue(run.out().contains("Swarm: inactive"), run.out());
        assertTrue(run.out().contains("Docker Root Dir: /var/lib/berth"), run.out());
        assertTrue(!run.err().contains("rror"), run.err());
    }

    @Test
    void oldApiVersionStillWorksAndTooNewIsRejected() throws Exception {
        DockerCli.Run old = docker.run(Map.of("DOCKER_API_VERSION", "1.41"), "network", "ls", "-q");
        assertEquals(0, old.exit(), old.err());
        assertEquals(3, old.out().lines().count());
        DockerCli.Run tooNew = docker.run(Map.of("DOCKER_API_VERSION", "1.51"), "network", "ls");
        assertEquals(1, tooNew.exit());
        assertTrue(tooNew.err().contains(
                "Error response from daemon: client version 1.51 is too new. Maximum supported API version is 1.50"),
                tooNew.err());
    }

    private JsonNode dockerSample() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("inspect-bridge.default.json")) {
            return new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get(0);
        }
    }
}
