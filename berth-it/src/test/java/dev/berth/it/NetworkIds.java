package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.DockerCli;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.UnixHttpClient;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Network name → full id, as the daemon reports them. */
final class NetworkIds {

    private NetworkIds() {
    }

    /** Through {@code docker network ls --no-trunc}. */
    static Map<String, String> fromDocker(DockerCli docker) {
        Map<String, String> ids = new TreeMap<>();
        docker.ok("network", "ls", "--no-trunc", "--format", "{{.Name}} {{.ID}}").lines().forEach(line -> {
            String[] parts = line.split(" ");
            ids.put(parts[0], parts[1]);
        });
        return ids;
    }

    /** Through {@code GET /networks}. */
    static Map<String, String> fromApi(UnixHttpClient api) {
        HttpReply reply = api.send("GET", "/networks");
        if (reply.status() != 200) {
            throw new AssertionError("GET /networks: " + reply);
        }
        Map<String, String> ids = new TreeMap<>();
        for (JsonNode network : reply.json()) {
            ids.put(network.path("Name").asText(), network.path("Id").asText());
        }
        return ids;
    }

    /** The shortest prefix (at least 2 characters) of {@code id} that no other id starts with. */
    static String uniquePrefix(String id, Collection<String> all) {
        for (int length = 2; length < id.length(); length++) {
            String prefix = id.substring(0, length);
            if (all.stream().filter(other -> other.startsWith(prefix)).count() == 1) {
                return prefix;
            }
        }
        return id;
    }
}
