package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import dev.berth.it.fixture.UnixHttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Load on the raw API, then store and kernel compared ({@link StoreKernel}): 100 parallel connects
 * and disconnects over 10 networks, 100 parallel network creates, and N sandboxes created and
 * removed (8 clients) while a prober in another sandbox asks the embedded DNS all along. 0 errors,
 * 0 duplicate addresses. CI: N = {@value #DEFAULT_SANDBOXES}; {@code bench/reliability.sh load}: 1000.
 * Each test prints one {@code LOAD} line.
 */
@ExtendWith(TestbedExtension.class)
class LoadIT {
    private static final int DEFAULT_SANDBOXES = 100;
    private static final String POOLS = "{\"default-address-pools\":[{\"base\":\"10.64.0.0/12\",\"size\":24}]}\n";

    @Test
    void hundredParallelConnectsAndDisconnectsOverTenNetworks(Testbed bed) throws Exception {
        bed.daemon().writeConfig(POOLS);
        bed.daemon().start();
        UnixHttpClient api = new UnixHttpClient(bed.daemon().socket(), Duration.ofSeconds(120));
        List<String> networks = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            networks.add(created(post(api, "/v1.50/networks/create", "{\"Name\":\"ld" + n + "\",\"EnableIPv6\":true}")));
        }
        List<String> boxes = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            boxes.add(created(post(api, "/v1.50/containers/create?name=lb" + s, "{\"Image\":\"busybox\"}")));
        }
        long t0 = System.nanoTime();
        List<HttpReply> connects = inParallel(100, i -> () -> post(api, "/v1.50/networks/" + networks.get(i / 10)
                + "/connect", "{\"Container\":\"" + boxes.get(i % 10) + "\"}"));
        double connectS = (System.nanoTime() - t0) / 1e9;
        long errors = connects.stream().filter(r -> r.status() != 200).count();
        assertEquals(0, errors, () -> connects.stream().filter(r -> r.status() != 200).toList().toString());
        StoreKernel.Result after = StoreKernel.compare(bed, api);
        assertEquals(10 * 11, after.endpoints(), after::toString); // each sandbox: bridge + 10 networks
        assertEquals(List.of(), after.problems());

        t0 = System.nanoTime();
        List<HttpReply> disconnects = inParallel(100, i -> () -> post(api, "/v1.50/networks/" + networks.get(i / 10)
                + "/disconnect", "{\"Container\":\"" + boxes.get(i % 10) + "\"}"));
        double disconnectS = (System.nanoTime() - t0) / 1e9;
        long disconnectErrors = disconnects.stream().filter(r -> r.status() != 200).count();
        assertEquals(0, disconnectErrors, disconnects::toString);
        StoreKernel.Result empty = StoreKernel.settle(bed, api);
        assertEquals(10, empty.endpoints(), empty::toString);
        assertEquals(List.of(), empty.problems());
        System.out.printf("LOAD connect/disconnect: 100 parallel connects over 10 networks in %.1f s, 100 disconnects "
                        + "in %.1f s; errors %d + %d; duplicate addresses %d; store/kernel mismatches %d + %d%n",
                connectS, disconnectS, errors, disconnectErrors, after.duplicates(), after.problems().size(),
                empty.problems().size());
        for (String box : boxes) {
            assertEquals(204, api.send("DELETE", "/v1.50/containers/" + box + "?force=1").status());
        }
    }

    @Test
    void hundredParallelNetworkCreates(Testbed bed) throws Exception {
        bed.daemon().writeConfig(POOLS);
        bed.daemon().start();
        UnixHttpClient api = new UnixHttpClient(bed.daemon().socket(), Duration.ofSeconds(120));
        long t0 = System.nanoTime();
        List<HttpReply> replies = inParallel(100, i -> () -> post(api, "/v1.50/networks/create",
                "{\"Name\":\"pc" + i + "\",\"EnableIPv6\":" + (i % 2 == 0) + "}"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long errors = replies.stream().filter(r -> r.status() != 201).count();
        assertEquals(0, errors, replies::toString);
        StoreKernel.Result result = StoreKernel.compare(bed, api);
        assertEquals(List.of(), result.problems());
        List<HttpReply> removals = inParallel(100, i -> () -> api.send("DELETE", "/v1.50/networks/pc" + i));
        long removeErrors = removals.stream().filter(r -> r.status() != 204).count();
        assertEquals(0, removeErrors, removals::toString);
        StoreKernel.Result gone = StoreKernel.settle(bed, api);
        assertEquals(List.of(), gone.problems());
        assertEquals(Map.of(), Bridges.userBridges(bed.host()));
        System.out.printf("LOAD network create: 100 parallel creates in %.1f s; errors %d, removal errors %d; "
                        + "%d distinct subnets; duplicate subnets or addresses %d; store/kernel mismatches %d + %d%n",
                seconds, errors, removeErrors, result.subnets(), result.duplicates(), result.problems().size(),
                gone.problems().size());
    }

    @Test
    void sandboxesComeAndGoWhileTheEmbeddedDnsAnswers(Testbed bed) throws Exception {
        int n = Integer.getInteger("berth.load.sandboxes", DEFAULT_SANDBOXES);
        bed.daemon().start();
        UnixHttpClient api = new UnixHttpClient(bed.daemon().socket(), Duration.ofSeconds(120));
        created(post(api, "/v1.50/networks/create", "{\"Name\":\"fz-dns\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.77.0.0/20\"}]}}"));
        Path prober = DnsFuzzIT.sandbox(bed, "fz-d1", "10.77.0.3");
        DnsFuzzIT.sandbox(bed, "fz-d2", "10.77.0.2");
        String probe;
        double createS;
        double removeS;
        long errors;
        StoreKernel.Result full;
        try (DnsClient client = DnsClient.probe(bed.dir(), prober, "fz-d2", "10.77.0.2")) {
            long t0 = System.nanoTime();
            List<HttpReply> creates = inParallel(n, 8, i -> () -> post(api, "/v1.50/containers/create?name=ls" + i,
                    "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"fz-dns\"}}"));
            createS = (System.nanoTime() - t0) / 1e9;
            errors = creates.stream().filter(r -> r.status() != 201).count();
            assertEquals(0, errors, () -> creates.stream().filter(r -> r.status() != 201).limit(5).toList().toString());
            full = StoreKernel.compare(bed, api);
            t0 = System.nanoTime();
            List<HttpReply> removes = inParallel(n, 8, i -> () -> api.send("DELETE", "/v1.50/containers/ls" + i + "?force=1"));
            removeS = (System.nanoTime() - t0) / 1e9;
            errors += removes.stream().filter(r -> r.status() != 204).count();
            probe = client.finish(Duration.ofSeconds(30));
        }
        StoreKernel.Result after = StoreKernel.settle(bed, api);
        System.out.printf("LOAD sandboxes: %d created in %.1f s and removed in %.1f s (8 clients); errors %d; "
                        + "duplicate addresses %d; store/kernel mismatches %d at %d endpoints, %d after removal; %s%n",
                n, createS, removeS, errors, full.duplicates(), full.problems().size(), full.endpoints(),
                after.problems().size(), probe);
        assertEquals(0, errors);
        assertEquals(n + 2, full.endpoints(), full::toString);
        assertEquals(List.of(), full.problems());
        assertEquals(2, after.endpoints(), after::toString);
        assertEquals(List.of(), after.problems());
        assertEquals(0, DnsClient.figure(probe, "failures"), probe);
        assertTrue(DnsClient.figure(probe, "probes") > 0, probe);
    }

    static HttpReply post(UnixHttpClient api, String path, String body) {
        return api.send("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static String created(HttpReply reply) {
        assertEquals(201, reply.status(), reply::toString);
        return reply.json().path("Id").asText();
    }

    private static <T> List<T> inParallel(int count, IntFunction<Callable<T>> task) throws Exception {
        return Parallel.run(count, count, task);
    }

    private static <T> List<T> inParallel(int count, int threads, IntFunction<Callable<T>> task) throws Exception {
        return Parallel.run(count, threads, task);
    }
}
