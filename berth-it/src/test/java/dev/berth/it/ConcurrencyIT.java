package dev.berth.it;

import static dev.berth.it.Bridges.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import dev.berth.it.fixture.UnixHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many clients at once on the raw API: creates and removes stay consistent with the kernel. */
@ExtendWith(TestbedExtension.class)
class ConcurrencyIT {

    private static final int CLIENTS = 50;
    /** 50 networks need more than Docker's 30 default subnets, so the pool is 256 × /24. */
    private static final String POOLS = "{\"default-address-pools\":[{\"base\":\"10.64.0.0/16\",\"size\":24}]}\n";

    @Test
    void fiftyParallelCreatesGetFiftyDistinctSubnetsAndDevices(Testbed bed) throws Exception {
        bed.daemon().writeConfig(POOLS);
        bed.daemon().start();
        UnixHttpClient api = new UnixHttpClient(bed.daemon().socket(), Duration.ofSeconds(60));
        List<HttpReply> replies = inParallel(i -> () -> Bridges.createRaw(api, "{\"Name\":\"par" + i + "\"}"));

        Map<String, String> ids = new TreeMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            HttpReply reply = replies.get(i);
            assertEquals(201, reply.status(), reply::toString);
            ids.put("par" + i, reply.json().path("Id").asText());
        }
        assertEquals(CLIENTS, Set.copyOf(ids.values()).size(), "ids must be distinct");
        Map<String, String> listed = NetworkIds.fromApi(bed.api());
        Set<String> subnets = new TreeSet<>();
        Map<String, LinkState> bridges = Bridges.userBridges(bed.host());
        assertEquals(CLIENTS, bridges.size(), bridges::toString);
        for (Map.Entry<String, String> network : ids.entrySet()) {
            assertEquals(network.getValue(), listed.get(network.getKey()));
            HttpReply inspect = bed.api().send("GET", "/v1.50/networks/" + network.getValue());
            String subnet = Bridges.subnet(inspect.json(), true).orElseThrow(() -> new AssertionError(inspect.toString()));
            assertTrue(subnet.matches("10\\.64\\.([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-5][0-9])\\.0/24"), subnet);
            subnets.add(subnet);
            LinkState bridge = bridges.get(device(network.getValue()));
            assertEquals(List.of(subnet.replace(".0/24", ".1/24")), bridge.addresses(true), () -> network + " " + bridge);
            assertTrue(bridge.isUp(), bridge::toString);
        }
        assertEquals(CLIENTS, subnets.size(), () -> "subnets not distinct: " + subnets);

        List<HttpReply> removals = inParallel(i -> () -> api.send("DELETE", "/v1.50/networks/par" + i));
        removals.forEach(reply -> assertEquals(204, reply.status(), reply::toString));
        assertEquals(Set.of("bridge", "host", "none"), NetworkIds.fromApi(bed.api()).keySet());
        assertEquals(Map.of(), Bridges.userBridges(bed.host()));
    }

    @Test
    void fiftyParallelCreatesOfOneNameGiveOneNetwork(Testbed bed) throws Exception {
        bed.daemon().start();
        UnixHttpClient api = new UnixHttpClient(bed.daemon().socket(), Duration.ofSeconds(60));
        List<HttpReply> replies = inParallel(i -> () -> Bridges.createRaw(api, "{\"Name\":\"same\"}"));

        List<HttpReply> created = replies.stream().filter(r -> r.status() == 201).toList();
        List<HttpReply> conflicts = replies.stream().filter(r -> r.status() == 409).toList();
        assertEquals(1, created.size(), replies::toString);
        assertEquals(CLIENTS - 1, conflicts.size(), replies::toString);
        conflicts.forEach(reply ->
                assertEquals("network with name same already exists", reply.json().path("message").asText()));
        String id = created.getFirst().json().path("Id").asText();
        assertEquals(id, NetworkIds.fromApi(bed.api()).get("same"));
        assertEquals(4, NetworkIds.fromApi(bed.api()).size());
        assertEquals(Set.of(device(id)), Bridges.userBridges(bed.host()).keySet());
        assertEquals(List.of("172.18.0.1/16"), Bridges.link(bed.host(), device(id)).addresses(true));
    }

    /** Runs CLIENTS tasks on CLIENTS platform threads released together; results in task order. */
    private static <T> List<T> inParallel(IntFunction<Callable<T>> task) throws Exception {
        return Parallel.run(CLIENTS, CLIENTS, task);
    }
}
