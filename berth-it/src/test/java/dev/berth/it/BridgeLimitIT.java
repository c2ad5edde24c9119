package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Linux bridge takes at most 1024 ports. A connect to a full bridge is a clear 503 that leaves
 * nothing behind (no endpoint, no interface in the sandbox, the address free again), and works
 * once a port is free.
 */
@ExtendWith(TestbedExtension.class)
class BridgeLimitIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void connectToAFullBridgeFailsCleanlyAndWorksOnceAPortIsFree(Testbed bed) throws Exception {
        bed.daemon().start();
        String netId = bed.docker().ok("network", "create", "--subnet", "10.33.0.0/16", "full").stdout().strip();
        String bridge = "br-" + netId.substring(0, 12);
        bed.docker().ok("network", "create", "--subnet", "10.34.0.0/24", "home");
        String id = bed.docker().ok("create", "--name", "c1", "--network", "home", "busybox").stdout().strip();
        Path netns = bed.dir().resolve("exec/netns").resolve(id.substring(0, 12));

        // fill every port number with veth ends (the kernel here has no dummy driver)
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            lines.add("link add bfill" + i + " type veth peer name bfpeer" + i);
            lines.add("link set bfill" + i + " master " + bridge);
        }
        Path batch = bed.dir().resolve("fill.batch");
        Files.write(batch, lines);
        // the last ones fail with "Exchange full": -force goes on after them
        CommandResult filled = bed.run(HostFixture.inNamespace(bed.host().hostNs(), "ip", "-force", "-batch",
                batch.toString()));
        int ports = bed.host().ipHostJson("link", "show", "master", bridge).size();
        assertTrue(ports >= 1023, "only " + ports + " ports on " + bridge + ": " + filled.describe());

        CommandResult refused = bed.docker().run("network", "connect", "full", "c1");
        assertEquals(1, refused.exitCode(), refused::describe);
        assertTrue(refused.stderr().contains("has no free port: a Linux bridge holds at most 1024 interfaces"),
                refused::describe);
        JsonNode networks = JSON.readTree(bed.docker().ok("inspect", "c1").stdout()).get(0)
                .path("NetworkSettings").path("Networks");
        assertFalse(networks.has("full"), networks::toString);
        assertFalse(bed.run(List.of("nsenter", "--net=" + netns, "ip", "link", "show", "eth1")).exitCode() == 0,
                "eth1 left in the sandbox");
        assertEquals(0, JSON.readTree(bed.docker().ok("network", "inspect", "full").stdout()).get(0)
                .path("Containers").size());

        bed.host().ipHost("link", "del", "bfill0");
        bed.docker().ok("network", "connect", "full", "c1");
        JsonNode joined = JSON.readTree(bed.docker().ok("inspect", "c1").stdout()).get(0)
                .path("NetworkSettings").path("Networks").path("full");
        assertEquals("10.33.0.2", joined.path("IPAddress").asText(), joined::toString);
        bed.docker().ok("rm", "-f", "c1");
    }
}
