package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fresh daemon's predefined networks, seen by the kernel and by the real docker CLI. */
@ExtendWith(TestbedExtension.class)
class BuiltinNetworksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{12}");
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

    @Test
    void docker0IsUpWithTheDefaultAddressAndMtu(Testbed bed) {
        bed.daemon().start();
        LinkState docker0 = bed.host().hostLink("docker0").orElseThrow(() -> new AssertionError("no docker0"));
        assertTrue(docker0.isUp(), docker0::toString);
        assertEquals(1500, docker0.mtu());
        assertEquals(List.of("172.17.0.1/16"), docker0.addresses(true));
        JsonNode details = bed.host().ipHostJson("-d", "link", "show", "docker0");
        assertEquals("bridge", details.get(0).path("linkinfo").path("info_kind").asText(), details::toString);
    }

    @Test
    void networkLsPrintsTheHeaderAndThreeRowsLaidOutLikeDocker(Testbed bed) {
        bed.daemon().start();
        CommandResult ls = bed.docker().ok("network", "ls");
        List<String> sample = DockerSamples.networkLs();
        List<String> lines = ls.lines();
        assertEquals(sample.size(), lines.size(), ls::describe);
        assertEquals(sample.getFirst(), lines.getFirst());
        for (int i = 1; i < sample.size(); i++) {
            String row = sample.get(i);
            Pattern shape = Pattern.compile("[0-9a-f]{12}" + Pattern.quote(row.substring(12)));
            assertTrue(shape.matcher(lines.get(i)).matches(), () -> "row " + ls.describe() + "\n  vs sample " + row);
        }
        assertTrue(ls.stdout().endsWith("\n"));
        assertEquals("", ls.stderr());
    }

    @Test
    void networkLsQuietAndNoTruncPrintMatchingIds(Testbed bed) {
        bed.daemon().start();
        List<String> shortIds = bed.docker().ok("network", "ls", "-q").lines();
        List<String> fullIds = bed.docker().ok("network", "ls", "-q", "--no-trunc").lines();
        assertEquals(3, shortIds.size(), shortIds::toString);
        assertEquals(3, fullIds.size(), fullIds::toString);
        for (int i = 0; i < 3; i++) {
            assertTrue(SHORT_ID.matcher(shortIds.get(i)).matches(), shortIds::toString);
            assertTrue(FULL_ID.matcher(fullIds.get(i)).matches(), fullIds::toString);
            assertEquals(shortIds.get(i), fullIds.get(i).substring(0, 12));
        }
        assertEquals(3, Set.copyOf(fullIds).size(), "ids must be distinct");
        List<String> tableIds = bed.docker().ok("network", "ls").lines().stream().skip(1)
                .map(row -> row.substring(0, 12)).toList();
        assertEquals(shortIds, tableIds);
        List<String> wideRows = bed.docker().ok("network", "ls", "--no-trunc").lines();
        assertTrue(wideRows.get(1).startsWith(fullIds.getFirst() + "   bridge"), wideRows::toString);
    }

    @Test
    void networkLsHonoursFormatAndFilters(Testbed bed) {
        bed.daemon().start();
        assertEquals("bridge bridge\nhost host\nnone null\n",
                bed.docker().ok("network", "ls", "--format", "{{.Name}} {{.Driver}}").stdout());
        assertEquals(List.of("bridge"), names(bed.docker().ok("network", "ls", "-f", "driver=bridge")));
        assertEquals(List.of("none"), names(bed.docker().ok("network", "ls", "-f", "driver=null")));
        assertEquals(List.of("bridge", "host", "none"), names(bed.docker().ok("network", "ls", "-f", "type=builtin")));
        assertEquals(List.of(), names(bed.docker().ok("network", "ls", "-f", "type=custom")));
        assertEquals(List.of("host"), names(bed.docker().ok("network", "ls", "-f", "name=ho")));
        assertEquals(List.of("bridge", "host", "none"), names(bed.docker().ok("network", "ls", "-f", "scope=local")));
    }

    @Test
    void inspectBridgeHasDockersKeysOrderAndValues(Testbed bed) throws Exception {
        bed.daemon().start();
        JsonNode printed = JSON.readTree(bed.docker().ok("network", "inspect", "bridge").stdout());
        assertEquals(1, printed.size(), printed::toString);
        JsonNode bridge = printed.get(0);
        JsonNode sample = DockerSamples.inspectBridge();
        assertEquals(List.of(), new JsonShape(Set.of("EnableIPv4")).differences(sample, bridge));
        assertTrue(FULL_ID.matcher(bridge.path("Id").asText()).matches(), bridge::toString);
        OffsetDateTime.parse(bridge.path("Created").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        assertEquals(sample.get("Options"), bridge.get("Options"));
        assertEquals(sample.path("IPAM").get("Config"), bridge.path("IPAM").get("Config"));
        if (bridge.has("EnableIPv4")) {
            assertTrue(bridge.get("EnableIPv4").asBoolean(), "EnableIPv4 of bridge");
        }
        assertEquals(withoutVolatile(sample), withoutVolatile(bridge));
    }

    @Test
    void inspectOfAnUnknownNetworkFailsLikeDocker(Testbed bed) {
        bed.daemon().start();
        CommandResult result = bed.docker().run("network", "inspect", "nosuch");
        assertEquals(1, result.exitCode(), result::describe);
        assertEquals("Error response from daemon: network nosuch not found", result.stderr().strip());
    }

    @Test
    void inspectResolvesFullIdShortIdAndUniquePrefix(Testbed bed) {
        bed.daemon().start();
        Map<String, String> ids = NetworkIds.fromDocker(bed.docker());
        String bridgeId = ids.get("bridge");
        for (String term : List.of(bridgeId, bridgeId.substring(0, 12), NetworkIds.uniquePrefix(bridgeId, ids.values()))) {
            CommandResult result = bed.docker().ok("network", "inspect", "--format", "{{.Name}} {{.Id}}", term);
            assertEquals("bridge " + bridgeId + "\n", result.stdout(), () -> "inspect " + term);
        }
    }

    @Test
    void versionAndInfoShowTheServer(Testbed bed) {
        bed.daemon().start();
        CommandResult version = bed.docker().ok("version");
        int server = version.stdout().indexOf("Server:");
        assertTrue(server >= 0, version::describe);
        String serverSection = version.stdout().substring(server);
        assertTrue(Pattern.compile("API version:\\s+1\\.50\\b").matcher(serverSection).find(), version::describe);
        assertFalse(version.stdout().contains("downgraded"), version::describe);
        CommandResult info = bed.docker().ok("info");
        assertTrue(info.stdout().contains("Server Version:"), info::describe);
        assertTrue(info.stdout().contains("Server:"), info::describe);
    }

    private static List<String> names(CommandResult ls) {
        List<String> names = new ArrayList<>();
        ls.lines().stream().skip(1).forEach(row -> names.add(row.split("\\s{2,}")[1]));
        return names;
    }

    private static JsonNode withoutVolatile(JsonNode network) {
        ObjectNode copy = network.deepCopy();
        copy.remove(List.of("Id", "Created", "EnableIPv4"));
        JsonNode ipamOptions = copy.path("IPAM").path("Options");
        if (ipamOptions.isObject() && ipamOptions.isEmpty()) {
            ((ObjectNode) copy.get("IPAM")).putNull("Options");
        }
        return copy;
    }
}
