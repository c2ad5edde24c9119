package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import dev.berth.it.fuzz.ApiFuzzer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mutated, random and hostile DNS packets at 127.0.0.11 inside a sandbox, over UDP and TCP, from
 * {@link dev.berth.it.fuzz.DnsFuzz} in that sandbox's namespace: the daemon stays up and keeps
 * answering a valid query throughout (probed every 500 packets) and after. CI sends
 * {@value #DEFAULT_PACKETS}; {@code bench/reliability.sh dns} sends 10^6.
 */
@ExtendWith(TestbedExtension.class)
class DnsFuzzIT {
    private static final int DEFAULT_PACKETS = 50_000;

    @Test
    void mutatedPacketsNeitherCrashNorSilenceTheEmbeddedDns(Testbed bed) throws Exception {
        long packets = Long.getLong("berth.dnsfuzz.packets", DEFAULT_PACKETS);
        long seed = Long.getLong("berth.dnsfuzz.seed", 20261205L);
        bed.daemon().start();
        create(bed, "/v1.50/networks/create", "{\"Name\":\"fz-dns\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.77.0.0/24\"}]}}");
        Path fuzzer = sandbox(bed, "fz-d1", "10.77.0.3");
        sandbox(bed, "fz-d2", "10.77.0.2");
        long rssBefore = ApiFuzzer.rssAfterGc(bed.daemon().pid());

        String figures;
        try (DnsClient client = DnsClient.start(bed.dir(), fuzzer, "dnsfuzz", "fuzz", Long.toString(packets),
                Long.toString(seed), "fz-d2", "10.77.0.2")) {
            figures = client.finish(Duration.ofMinutes(Math.max(2, packets / 5_000)));
        }
        String line = figures.lines().filter(l -> l.startsWith("FUZZ-DNS")).findFirst()
                .orElseThrow(() -> new AssertionError("no figures: " + figures));
        long rssAfter = ApiFuzzer.rssAfterGc(bed.daemon().pid());
        System.out.println(line + " daemon-rss-after-gc-kb-before=" + rssBefore + " after=" + rssAfter + " seed=" + seed);
        assertTrue(bed.daemon().isRunning(), "daemon crashed");
        assertTrue(DnsClient.figure(line, "packets") >= packets, line);
        assertEquals(0, DnsClient.figure(line, "probe-failures"), line);
        assertEquals(200, bed.api().send("GET", "/v1.50/containers/fz-d2/json").status());
        assertTrue(rssAfter <= rssBefore * 5 / 4 + 64 * 1024, "memory not back to its level: " + rssBefore + " -> "
                + rssAfter + " kB");
    }

    static void create(Testbed bed, String path, String body) {
        HttpReply reply = bed.api().send("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, reply.status(), reply::toString);
    }

    /** A sandbox on fz-dns with a fixed address; returns its namespace file. */
    static Path sandbox(Testbed bed, String name, String address) {
        HttpReply reply = bed.api().send("POST", "/v1.50/containers/create?name=" + name, "application/json",
                ("{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"fz-dns\"},\"NetworkingConfig\":"
                        + "{\"EndpointsConfig\":{\"fz-dns\":{\"IPAMConfig\":{\"IPv4Address\":\"" + address + "\"}}}}}")
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(201, reply.status(), reply::toString);
        return bed.dir().resolve("exec/netns").resolve(reply.json().path("Id").asText().substring(0, 12));
    }
}
