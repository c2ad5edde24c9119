package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The swarm routes as a dockerd in no swarm answers them: over the raw socket, then with the real CLI. */
class SwarmEndpointsTest extends DockerCliCase {
    private static String message(String text) {
        return "{\"message\":" + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(text) + "}\n";
    }

    @Test
    void swarmRoutesAre503WithMobysWordsNotPageNotFound() throws Exception {
        RawHttp http = daemon.http();
        RawHttp.Response leave = http.send("POST", "/v1.47/swarm/leave?force=1", null, null);
        assertEquals(503, leave.status());
        assertEquals(message("This node is not part of a swarm"), leave.body());
        RawHttp.Response inspect = http.get("/v1.47/swarm");
        assertEquals(503, inspect.status());
        assertEquals(message(SwarmEndpoints.NOT_A_MANAGER), inspect.body());
        for (String path : new String[] {"/nodes", "/services", "/tasks", "/secrets", "/configs", "/services/x"}) {
            assertEquals(503, http.get("/v1.47" + path).status(), path);
        }
        RawHttp.Response init = http.send("POST", "/v1.47/swarm/init", "application/json", "{\"ListenAddr\":\"0.0.0.0:2377\"}");
        assertEquals(503, init.status());
        assertTrue(init.body().contains("no swarm mode"), init.body());
    }

    @Test
    void theCliPrintsTheDaemonsWords() throws Exception {
        DockerCli.Run leave = docker.run("swarm", "leave", "--force");
        assertEquals(1, leave.exit());
        assertEquals("Error response from daemon: This node is not part of a swarm\n", leave.err());
        DockerCli.Run nodes = docker.run("node", "ls");
        assertEquals(1, nodes.exit());
        assertTrue(nodes.err().contains(SwarmEndpoints.NOT_A_MANAGER), nodes.err());
    }
}
