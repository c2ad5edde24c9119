package dev.berth.daemon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.sandbox.CreateSandbox;
import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.daemon.api.RequestObserver;
import dev.berth.daemon.dns.DnsObserver;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelErrors;
import dev.berth.kernel.nftables.NftException;
import dev.berth.kernel.nftables.NftScriptRunner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The registry served over real TCP on loopback, fed through the observers the daemon's parts get,
 * scraped as Prometheus scrapes it, and read back sample by sample.
 */
class MetricsTest {

    static Scrape scrape(String address) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    response.headers().toString());
            return new Scrape(response.body());
        }
    }

    @Test
    void countsWhatTheObserversAreToldAndServesItAtSlashMetrics() throws Exception {
        try (Metrics metrics = Metrics.serve("127.0.0.1", 0)) {
            assertTrue(metrics.address().startsWith("127.0.0.1:"), metrics.address());
            RequestObserver requests = metrics.requests();
            requests.answered("POST", "/networks/create", 201, 3_000_000);
            requests.answered("POST", "/networks/create", 201, 1_000_000);
            requests.answered("GET", "/networks/{id:.+}", 404, 200_000);
            DnsObserver dns = metrics.dns();
            dns.answered(DnsObserver.Result.LOCAL, 50_000);
            dns.answered(DnsObserver.Result.FORWARDED, 2_000_000);
            dns.answered(DnsObserver.Result.FORWARDED, 20_000_000);
            dns.answered(DnsObserver.Result.FAILED, 1_000_000_000);
            KernelErrors kernel = metrics.kernelErrors();
            kernel.failed(Errno.EEXIST);
            kernel.failed(Errno.EEXIST);
            kernel.failed(Errno.EBUSY);
            NftScriptRunner nft = metrics.firewall(script -> {
                if (script.contains("bad")) {
                    throw new NftException("apply", "Error: syntax error", script);
                }
                return "";
            });
            nft.run("add element inet berth x { 1 }");
            assertThrows(NftException.class, () -> nft.run("bad"));

            Scrape s = scrape(metrics.address());
            assertEquals(2, s.value("berth_api_request_duration_seconds_count{method=\"POST\",route=\"/networks/create\",status=\"201\"}"));
            assertEquals(0.004, s.value("berth_api_request_duration_seconds_sum{method=\"POST\",route=\"/networks/create\",status=\"201\"}"), 1e-9);
            assertEquals(1, s.value("berth_api_request_duration_seconds_bucket{method=\"POST\",route=\"/networks/create\",status=\"201\",le=\"0.001\"}"));
            assertEquals(1, s.value("berth_api_request_duration_seconds_count{method=\"GET\",route=\"/networks/{id:.+}\",status=\"404\"}"));
            assertEquals(1, s.value("berth_dns_query_duration_seconds_count{result=\"local\"}"));
            assertEquals(2, s.value("berth_dns_query_duration_seconds_count{result=\"forwarded\"}"));
            assertEquals(1, s.value("berth_dns_query_duration_seconds_bucket{result=\"forwarded\",le=\"0.0025\"}"));
            assertEquals(1, s.value("berth_dns_query_duration_seconds_count{result=\"failed\"}"));
            assertEquals(2, s.value("berth_kernel_errors_total{errno=\"EEXIST\"}"));
            assertEquals(1, s.value("berth_kernel_errors_total{errno=\"EBUSY\"}"));
            assertEquals(1, s.value("berth_firewall_transaction_duration_seconds_count{result=\"ok\"}"));
            assertEquals(1, s.value("berth_firewall_transaction_duration_seconds_count{result=\"failed\"}"));
            assertEquals(0, s.value("berth_reconcile_repairs_total{result=\"repaired\"}"));
            assertTrue(s.value("process_resident_memory_bytes") > 0, "dockerd's process metrics");
            assertTrue(s.value("process_open_fds") > 0);
            assertTrue(s.value("jvm_memory_used_bytes{area=\"heap\"}") > 0);
            assertTrue(s.value("jvm_threads_current") > 0);
        }
    }

    @Test
    void gaugesReadTheStateWhenScrapedAndRepairsComeFromTheChangeStream() throws Exception {
        Fixture f = new Fixture();
        SandboxProcesses processes = SandboxProcesses.withoutProcesses(f.sandboxes, f.clock);
        try (Metrics metrics = Metrics.serve("127.0.0.1", 0)) {
            metrics.watch(f.state, processes);
            Scrape before = scrape(metrics.address());
            assertEquals(1, before.value("berth_networks{driver=\"bridge\"}"), "the default bridge");
            assertEquals(0, before.value("berth_endpoints{driver=\"bridge\"}"));
            assertEquals(0, before.value("berth_containers{state=\"running\"}"));
            assertEquals(0, before.value("berth_containers{state=\"exited\"}"));

            f.service.create(CreateNetwork.named("net1"));
            f.sandboxes.create(CreateSandbox.on("c1", "net1"));
            f.sandboxes.create(CreateSandbox.on("c2", "net1"));
            f.state.publish(new Change.NetworkReconciled("", Optional.empty(),
                    "firewall: chain inet berth forward missing; firewall: set x missing", ""));
            f.state.publish(new Change.NetworkReconciled("n1", Optional.empty(), "bridge br-1 missing",
                    "bridge br-1: EPERM"));

            Scrape after = scrape(metrics.address());
            assertEquals(2, after.value("berth_networks{driver=\"bridge\"}"));
            assertEquals(2, after.value("berth_endpoints{driver=\"bridge\"}"));
            assertEquals(2, after.value("berth_containers{state=\"running\"}"), "a sandbox without a process runs");
            assertEquals(2, after.value("berth_reconcile_repairs_total{result=\"repaired\"}"));
            assertEquals(1, after.value("berth_reconcile_repairs_total{result=\"failed\"}"));
            assertEquals(1, after.value("berth_events_total{action=\"create\",type=\"network\"}"));
            assertEquals(2, after.value("berth_events_total{action=\"create\",type=\"container\"}"));
            assertEquals(2, after.value("berth_events_total{action=\"connect\",type=\"network\"}"));
            assertEquals(2, after.value("berth_events_total{action=\"reconcile\",type=\"network\"}"));
        }
    }

    /** As dockerd: {@code failed to start metrics server: listen tcp 127.0.0.1:9323: bind: address already in use}. */
    @Test
    void aTakenAddressIsAClearErrorAndLeavesNothingListening() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            MetricsException e = assertThrows(MetricsException.class, () -> Metrics.serve("127.0.0.1", port));
            assertEquals("failed to start metrics server: listen tcp 127.0.0.1:" + port
                    + ": bind: address already in use", e.getMessage());
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("berth-metrics")),
                "the server's thread is gone");
    }

    @Test
    void anAddressOfNoInterfaceIsAClearError() {
        // 192.0.2.1 (TEST-NET-1) is on no interface here: bind says so
        MetricsException e = assertThrows(MetricsException.class, () -> Metrics.serve("192.0.2.1", 0));
        assertTrue(e.getMessage().startsWith("failed to start metrics server: listen tcp 192.0.2.1:0: bind: "),
                e.getMessage());
    }

    @Test
    void offServesNothingAndItsObserversDoNothing() {
        try (Metrics off = Metrics.off()) {
            assertEquals("", off.address());
            assertSame(RequestObserver.NONE, off.requests());
            assertSame(DnsObserver.NONE, off.dns());
            assertSame(KernelErrors.NONE, off.kernelErrors());
            NftScriptRunner nft = script -> "";
            assertSame(nft, off.firewall(nft));
        }
    }

    /**
     * The DNS hot path: once the JIT compiled it, a query's observation allocates nothing (classic
     * buckets, no exemplars, the data points resolved once; the library's per-observation lambda
     * is scalar-replaced). Counted by the JVM's per-thread allocation counter over rounds of 100000
     * observations until one is compiled (interpreted and C1 code allocate the lambda); not timed.
     */
    @Test
    void aDnsQueryIsCountedWithoutAllocatingOnceCompiled() {
        try (Metrics metrics = Metrics.serve("127.0.0.1", 0)) {
            DnsObserver dns = metrics.dns();
            DnsObserver.Result[] results = DnsObserver.Result.values();
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            List<Long> rounds = new ArrayList<>();
            for (int round = 0; round < 100; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++) {
                    dns.answered(results[i % results.length], 1_000 + i);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                rounds.add(allocated);
                if (allocated < 1_000) {
                    return;
                }
            }
            fail("every round of 100000 observations allocated: " + rounds);
        }
    }

    @Test
    void itemsOfAList() {
        assertEquals(0, Instruments.items(""));
        assertEquals(1, Instruments.items("a"));
        assertEquals(3, Instruments.items("a; b; c"));
    }
}
