package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.daemon.doctor.Check;
import dev.berth.daemon.doctor.Doctor;
import dev.berth.daemon.doctor.Finding;
import dev.berth.daemon.doctor.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /berth/doctor}, versioned and not: the findings as {@code DoctorReport} JSON. */
class DoctorApiTest {
    @TempDir
    Path directory;

    private static final Check ONE = host -> List.of(new Finding("ipv6-accept-ra", Severity.ERROR, "eth0",
            "accept_ra is 1", "it matters", List.of("sysctl -w net.ipv6.conf.eth0.accept_ra=2")),
            Finding.ok("kernel-nftables", "", "fine"));

    @Test
    void findingsAreServedUnderBerthWithAndWithoutAVersion() throws IOException {
        ApiContext base = TestDaemon.context();
        ApiContext context = new ApiContext(base.networks(), base.sandboxes(), base.events(), base.clock(),
                base.system(), base.processes(), new Doctor(() -> null, List.of(ONE)));
        Path socket = directory.resolve("berth.sock");
        try (ApiServer server = new ApiServer(context)) {
            server.start(socket);
            String expected = "{\"Findings\":[{\"ID\":\"ipv6-accept-ra\",\"Severity\":\"error\",\"Subject\":\"eth0\","
                    + "\"Found\":\"accept_ra is 1\",\"Why\":\"it matters\","
                    + "\"Fix\":[\"sysctl -w net.ipv6.conf.eth0.accept_ra=2\"]},"
                    + "{\"ID\":\"kernel-nftables\",\"Severity\":\"ok\",\"Subject\":\"\",\"Found\":\"fine\",\"Why\":\"\","
                    + "\"Fix\":[]}]}\n";
            for (String path : List.of("/berth/doctor", "/v1.50/berth/doctor")) {
                RawHttp.Response reply = new RawHttp(socket).get(path);
                assertEquals(200, reply.status(), path);
                assertEquals(expected, reply.body(), path);
            }
        }
    }
}
