package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code metrics-addr}: the daemon serves Prometheus metrics at {@code http://127.0.0.1:9323/metrics}
 * inside its namespace. Known operations (API requests through the socket, DNS queries with
 * {@code dig} from a sandbox, a network and a connect, a bridge set down by hand) move the
 * counters and gauges by exactly what they did, read over real TCP with curl. A taken or malformed
 * address stops start-up with a clear message, before anything is made.
 */
@ExtendWith(TestbedExtension.class)
class MetricsIT {
    private static final String ADDRESS = "127.0.0.1:9323";
    private static final Duration FAIL_FAST = Duration.ofSeconds(20);

    @Test
    void knownOperationsMoveTheMetricsByExactlyWhatTheyDid(Testbed bed) throws Exception {
        Path log = bed.dir().resolve("upstream.log");
        Process upstream = DnsUpstreamIT.startUpstream(bed, log);
        try {
            bed.daemon().writeConfig("{\"dns\": [\"" + HostFixture.UPSTREAM_V4 + "\"], \"metrics-addr\": \""
                    + ADDRESS + "\"}\n");
            bed.daemon().start();
            assertTrue(bed.daemon().stderr().contains("metrics API listening on " + ADDRESS), bed.daemon()::logs);
            String net1 = Bridges.create(bed.docker(), "net1");
            Box c1 = Box.create(bed, "c1", "--network", "net1");
            Box.create(bed, "c2", "--network", "net1");

            Samples before = scrape(bed);
            assertEquals(2, before.value("berth_networks{driver=\"bridge\"}"), "bridge and net1");
            assertEquals(1, before.value("berth_networks{driver=\"host\"}"));
            assertEquals(1, before.value("berth_networks{driver=\"null\"}"));
            assertEquals(2, before.value("berth_endpoints{driver=\"bridge\"}"));
            assertEquals(2, before.value("berth_containers{state=\"created\"}"), "docker create, not started");
            assertEquals(0, before.value("berth_containers{state=\"running\"}"));

            // through the API socket, nothing else talks to the daemon meanwhile
            assertEquals(201, bed.api().send("POST", "/v1.50/networks/create", "application/json",
                    bytes("{\"Name\":\"net2\"}")).status());
            assertEquals(200, bed.api().send("POST", "/v1.50/networks/net2/connect", "application/json",
                    bytes("{\"Container\":\"c1\"}")).status());
            assertEquals(404, bed.api().send("GET", "/v1.50/networks/nosuch").status());
            assertEquals(400, bed.api().send("POST", "/v1.50/networks/create", "application/json",
                    bytes("{\"Name\":")).status());
            assertEquals(404, bed.api().send("GET", "/v1.50/nosuch").status());
            // from a sandbox to 127.0.0.11: a peer's name, two names the upstream answers (one with
            // NXDOMAIN), and one whose answer is garbage (SERVFAIL)
            assertTrue(DnsUpstreamIT.dig(bed, c1.netns(), "+short", "c2").strip().startsWith("172."));
            assertEquals("NOERROR", DnsUpstreamIT.status(DnsUpstreamIT.dig(bed, c1.netns(), "fwd1.example")));
            assertEquals("NXDOMAIN", DnsUpstreamIT.status(DnsUpstreamIT.dig(bed, c1.netns(), "nope.example")));
            assertEquals("SERVFAIL", DnsUpstreamIT.status(DnsUpstreamIT.dig(bed, c1.netns(), "broken.example")));

            Samples after = scrape(bed);
            String api = "berth_api_request_duration_seconds_count";
            assertEquals(1, after.delta(before, api + "{method=\"POST\",route=\"/networks/create\",status=\"201\"}"));
            assertEquals(1, after.delta(before, api + "{method=\"POST\",route=\"/networks/{id:.+}/connect\",status=\"200\"}"));
            assertEquals(1, after.delta(before, api + "{method=\"GET\",route=\"/networks/{id:.+}\",status=\"404\"}"));
            assertEquals(1, after.delta(before, api + "{method=\"POST\",route=\"/networks/create\",status=\"400\"}"));
            assertEquals(1, after.delta(before, api + "{method=\"GET\",route=\"unmatched\",status=\"404\"}"));
            assertEquals(5, after.sum(api) - before.sum(api), "five requests, nothing else");
            assertEquals(after.delta(before, api + "{method=\"POST\",route=\"/networks/create\",status=\"201\"}"),
                    after.delta(before, "berth_api_request_duration_seconds_bucket{method=\"POST\","
                            + "route=\"/networks/create\",status=\"201\",le=\"+Inf\"}"));
            String dns = "berth_dns_query_duration_seconds_count";
            assertEquals(1, after.delta(before, dns + "{result=\"local\"}"));
            assertEquals(2, after.delta(before, dns + "{result=\"forwarded\"}"));
            assertEquals(1, after.delta(before, dns + "{result=\"failed\"}"));
            assertEquals(1, after.delta(before, "berth_events_total{action=\"create\",type=\"network\"}"));
            assertEquals(1, after.delta(before, "berth_events_total{action=\"connect\",type=\"network\"}"));
            assertEquals(2, after.sum("berth_events_total") - before.sum("berth_events_total"), "net2 and c1's connect");
            assertEquals(3, after.value("berth_networks{driver=\"bridge\"}"));
            assertEquals(3, after.value("berth_endpoints{driver=\"bridge\"}"));
            // the new network's elements: at least one nft transaction, none failed
            assertTrue(after.delta(before, "berth_firewall_transaction_duration_seconds_count{result=\"ok\"}") >= 1,
                    after.text());
            assertEquals(0, after.value("berth_firewall_transaction_duration_seconds_count{result=\"failed\"}"));
            assertTrue(after.text().contains("# TYPE berth_kernel_errors_total counter"), after.text());
            assertTrue(after.value("process_resident_memory_bytes") > 0, "berthd's own, as dockerd's process_*");

            // drift: the reconcile loop repairs it, and counts each item its event names
            long t0 = System.currentTimeMillis() / 1000;
            bed.host().ipHost("link", "set", Bridges.device(net1), "down");
            String repaired = "berth_reconcile_repairs_total{result=\"repaired\"}";
            Poll.eventually(10, "the down bridge is repaired and counted",
                    () -> scrape(bed).value(repaired) > after.value(repaired));
            Samples repairedAfter = scrape(bed);
            long items = 0;
            CommandResult events = bed.docker().ok("events", "--since", Long.toString(t0), "--until",
                    Long.toString(System.currentTimeMillis() / 1000 + 1), "--filter", "event=reconcile",
                    "--format", "{{json .}}");
            for (String line : events.lines()) {
                JsonNode event = Bridges.parse(line);
                items += event.path("Actor").path("Attributes").path("repaired").asText().split("; ").length;
            }
            assertTrue(items > 0, events::describe);
            assertEquals(items, repairedAfter.delta(after, repaired), events.describe());
            assertEquals(0, repairedAfter.value("berth_reconcile_repairs_total{result=\"failed\"}"));
        } finally {
            DnsUpstreamIT.stop(upstream);
        }
    }

    /** dockerd's words: {@code failed to start metrics server: listen tcp ...: bind: address already in use}. */
    @Test
    void aMetricsAddressInUseStopsStartUpBeforeAnythingIsMade(Testbed bed) throws Exception {
        Process holder = new ProcessBuilder(HostFixture.inNamespace(bed.host().hostNs(), "python3", "-c",
                "import socket, sys, time\n"
                        + "s = socket.socket(); s.bind(('127.0.0.1', 9323)); s.listen()\n"
                        + "print('ready', flush=True); sys.stdin.read()"))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine(), "the port holder did not start");
            bed.daemon().writeConfig("{\"metrics-addr\": \"" + ADDRESS + "\"}\n");
            int code = exitCodeOfFailedStart(bed);
            String stderr = bed.daemon().stderr();
            assertNotEquals(0, code, stderr);
            assertTrue(stderr.contains("failed to start daemon: failed to start metrics server: listen tcp "
                    + ADDRESS + ": bind: address already in use"), stderr);
            assertTrue(bed.host().hostLink("docker0").isEmpty(), "a refused start makes nothing");
        } finally {
            holder.destroy();
            if (!holder.waitFor(5, TimeUnit.SECONDS)) {
                holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aMalformedMetricsAddressStopsStartUpNamingTheLine(Testbed bed) {
        bed.daemon().writeConfig("{\n  \"metrics-addr\": \"9323\"\n}\n");
        int code = exitCodeOfFailedStart(bed);
        String stderr = bed.daemon().stderr();
        assertNotEquals(0, code, stderr);
        assertTrue(stderr.contains("invalid configuration file " + bed.daemon().configFile() + ": line 2: invalid"
                + " metrics-addr \"9323\": missing port in address (give HOST:PORT, e.g. 127.0.0.1:9323)"), stderr);
        assertTrue(bed.host().hostLink("docker0").isEmpty(), "a refused start makes nothing");
    }

    private static int exitCodeOfFailedStart(Testbed bed) {
        bed.daemon().launch();
        Optional<Integer> code = bed.daemon().awaitExit(FAIL_FAST);
        return code.orElseThrow(() -> new AssertionError("the daemon kept running\n" + bed.daemon().logs()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code curl http://127.0.0.1:9323/metrics} inside the daemon's namespace: real TCP. */
    private static Samples scrape(Testbed bed) {
        CommandResult r = bed.run(HostFixture.inNamespace(bed.host().hostNs(), "curl", "-sS", "--fail",
                "--max-time", "10", "http://" + ADDRESS + "/metrics")).assertSuccess();
        return new Samples(r.stdout());
    }

    /** The Prometheus text format, sample by sample ({@code name{labels}} to value): test-side reading only. */
    private record Samples(String text, Map<String, Double> values) {
        Samples(String text) {
            this(text, parse(text));
        }

        private static Map<String, Double> parse(String text) {
            Map<String, Double> out = new HashMap<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int space = line.lastIndexOf(' ');
                    out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
            }
            return out;
        }

        double value(String series) {
            Double v = values.get(series);
            if (v == null) {
                throw new AssertionError("no series " + series + " in\n" + text);
            }
            return v;
        }

        /** How much {@code series} grew since {@code earlier} (absent there: from 0). */
        double delta(Samples earlier, String series) {
            return value(series) - earlier.values.getOrDefault(series, 0.0);
        }

        /** The sum over every series of the family {@code name} (all label values). */
        double sum(String name) {
            return values.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{"))
                    .mapToDouble(Map.Entry::getValue).sum();
        }
    }
}
