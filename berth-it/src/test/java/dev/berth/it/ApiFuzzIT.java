package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import dev.berth.it.fixture.UnixHttpClient;
import dev.berth.it.fuzz.ApiFuzzer;
import dev.berth.it.fuzz.Targets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The black-box API fuzzer against a real daemon ({@link ApiFuzzer}): 0 crashes, 0 hangs, 0 5xx,
 * 0 state changes from rejected requests, memory back to its level after a GC. CI runs
 * {@value #DEFAULT_REQUESTS} requests; {@code bench/reliability.sh fuzz} runs 10^6 with
 * {@code -Dberth.fuzz.requests=1000000}. The figures are printed on one {@code FUZZ-API} line.
 */
@ExtendWith(TestbedExtension.class)
class ApiFuzzIT {
    private static final int DEFAULT_REQUESTS = 10_000;
    /**
     * Requests per batch. Half the network creates are plausible and accepted, so in a batch of
     * 500 nearly always something changed state and the batch cannot be checked for changes by
     * rejected requests; with 100 most batches can.
     */
    private static final int BATCH = 100;
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Test
    void hostileRequestsAreAnsweredRejectedAndChangeNothing(Testbed bed) throws Exception {
        long requests = Long.getLong("berth.fuzz.requests", DEFAULT_REQUESTS);
        long seed = Long.getLong("berth.fuzz.seed", 20261205L);
        int slow = Integer.getInteger("berth.fuzz.slow", requests > 100_000 ? 200 : 8);
        int batch = Integer.getInteger("berth.fuzz.batch", BATCH);
        bed.daemon().writeConfig("{\"default-address-pools\":[{\"base\":\"10.96.0.0/12\",\"size\":24}]}\n");
        bed.daemon().start();
        FuzzBed fuzzBed = new FuzzBed(bed);
        long pid = bed.daemon().pid();

        // warm the daemon up with the same kind of traffic, then take the memory baseline after a GC
        new ApiFuzzer(bed.daemon().socket(), fuzzBed, seed + 1, 8, batch).run(Math.min(requests / 10, 20_000), 0);
        fuzzBed.reset();
        long rssBefore = ApiFuzzer.rssAfterGc(pid);
        ApiFuzzer.Figures figures = new ApiFuzzer(bed.daemon().socket(), fuzzBed, seed, 8, batch).run(requests, slow);
        fuzzBed.reset();
        long rssAfter = ApiFuzzer.rssAfterGc(pid);

        String memory = String.format("; RSS after GC: before %d MB, after %d MB; seed %d", rssBefore / 1024,
                rssAfter / 1024, seed);
        System.out.println(ApiFuzzer.report(figures).replaceFirst("\n", memory + "\n"));
        assertTrue(bed.daemon().isRunning(), "daemon crashed");
        assertEquals(0, figures.hangs() + figures.slowHangs(), "hangs: " + ApiFuzzer.report(figures));
        assertEquals(0, figures.serverErrors(), "5xx answers: " + ApiFuzzer.report(figures));
        assertEquals(0, figures.stateChanges(), "state changed by rejected requests: " + ApiFuzzer.report(figures));
        assertTrue(figures.cleanBatches() > figures.dirtyBatches() / 4, "too few batches could be checked for state: "
                + figures.render());
        assertTrue(rssAfter <= rssBefore * 5 / 4 + 64 * 1024, "memory not back to its level" + memory);
    }

    /** The fixture's side of the fuzzer: a network with a sandbox on it, the state, and a reset. */
    static final class FuzzBed implements ApiFuzzer.Bed {
        private final Testbed bed;
        private final UnixHttpClient api;
        private final Set<String> builtins = new HashSet<>();
        private Targets targets;

        FuzzBed(Testbed bed) {
            this.bed = bed;
            this.api = new UnixHttpClient(bed.daemon().socket(), Duration.ofSeconds(30));
            list("/v1.50/networks").forEach(n -> builtins.add(n.path("Id").asText()));
            this.targets = ensureTargets();
        }

        @Override
        public Targets targets() {
            return targets;
        }

        @Override
        public boolean daemonAlive() {
            return bed.daemon().isRunning();
        }

        @Override
        public Targets reset() {
            for (JsonNode c : list("/v1.50/containers/json?all=1")) {
                if (!c.path("Id").asText().equals(targets.containerId())) {
                    check(api.send("DELETE", "/v1.50/containers/" + c.path("Id").asText() + "?force=1"), 204, 404);
                }
            }
            for (JsonNode n : list("/v1.50/networks")) {
                String id = n.path("Id").asText();
                if (!builtins.contains(id) && !id.equals(targets.networkId())) {
                    check(api.send("DELETE", "/v1.50/networks/" + id), 204, 404);
                }
            }
            targets = ensureTargets();
            return targets;
        }

        private Targets ensureTargets() {
            HttpReply net = api.send("GET", "/v1.50/networks/fz-net");
            if (net.status() == 404) {
                net = check(post("/v1.50/networks/create", "{\"Name\":\"fz-net\",\"EnableIPv6\":true,"
                        + "\"IPAM\":{\"Config\":[{\"Subnet\":\"10.77.0.0/24\"},{\"Subnet\":\"fd00:77::/64\"}]}}"), 201);
            }
            String netId = net.json().path("Id").asText();
            HttpReply box = api.send("GET", "/v1.50/containers/fz-c1/json");
            if (box.status() == 200) {
                JsonNode attached = box.json().path("NetworkSettings").path("Networks");
                if (attached.size() != 1 || attached.path("fz-net").isMissingNode()) {
                    // accepted requests moved it (disconnected, then connected to "none", say): start over
                    check(api.send("DELETE", "/v1.50/containers/fz-c1?force=1"), 204);
                    box = api.send("GET", "/v1.50/containers/fz-c1/json");
                }
            }
            if (box.status() == 404) {
                // image-less (Berth's network-only sandbox): running from create to remove, so a fuzzed
                // start is a no-op and the batches stay checkable; containers from images have their own ITs
                box = check(post("/v1.50/containers/create?name=fz-c1", "{\"Image\":\"\",\"HostConfig\":"
                        + "{\"NetworkMode\":\"fz-net\",\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8080\"}]}}}"), 201);
                box = api.send("GET", "/v1.50/containers/" + box.json().path("Id").asText() + "/json");
            }
            String boxId = check(box, 200).json().path("Id").asText();
            return new Targets(netId, "fz-net", boxId, "fz-c1");
        }

        /**
         * The state a rejected request must not change: networks and containers as the API lists
         * them, the fixture network's endpoints, links, addresses and routes of the host namespace
         * and of the sandbox, the nft table, and the sandbox namespace files.
         */
        @Override
        public String snapshot() {
            StringBuilder s = new StringBuilder();
            s.append(sorted(list("/v1.50/networks"))).append('\n');
            List<JsonNode> containers = list("/v1.50/containers/json?all=1");
            containers.forEach(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove("Status")); // "Up 6 seconds"
            s.append(sorted(containers)).append('\n');
            s.append(api.send("GET", "/v1.50/networks/" + targets.networkId()).text()).append('\n');
            // one process for the kernel side: this runs after every batch
            String script = "ip -j -p addr; echo; ip -j -p route show table main; echo; nft list table inet berth; "
                    + "for f in " + bed.dir().resolve("exec/netns") + "/*; do [ -e \"$f\" ] || continue; "
                    + "echo \"netns ${f##*/}\"; nsenter --net=\"$f\" ip -j -p addr; echo; done";
            s.append(bed.run(List.of("nsenter", "--net=/run/netns/" + bed.host().hostNs(), "sh", "-c", script))
                    .assertSuccess().stdout());
            return s.toString();
        }

        private List<JsonNode> list(String path) {
            HttpReply reply = check(api.send("GET", path), 200);
            List<JsonNode> out = new ArrayList<>();
            reply.json().forEach(out::add);
            return out;
        }

        private static String sorted(List<JsonNode> items) {
            ArrayNode array = JSON.createArrayNode();
            items.stream().sorted((a, b) -> a.path("Id").asText().compareTo(b.path("Id").asText())).forEach(array::add);
            try {
                // re-read as Object so that map keys are sorted too
                return JSON.writeValueAsString(JSON.treeToValue(array, Object.class)).replace("},{", "},\n{");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        private HttpReply post(String path, String body) {
            return api.send("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        private static HttpReply check(HttpReply reply, int... expected) {
            for (int status : expected) {
                if (reply.status() == status) {
                    return reply;
                }
            }
            throw new AssertionError("fixture request failed: " + reply);
        }
    }
}
