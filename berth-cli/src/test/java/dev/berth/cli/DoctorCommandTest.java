package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cli.FakeDaemon.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth doctor}: the report, {@code --format json}, and the exit status. */
class DoctorCommandTest {
    private static final String TRAP = "{\"ID\":\"ipv6-accept-ra\",\"Severity\":\"error\",\"Subject\":\"eth0\","
            + "\"Found\":\"eth0 learns its IPv6 default route via fe80::1 from router advertisements (proto ra), IPv6 "
            + "forwarding is on and accept_ra is 1\",\"Why\":\"With forwarding on, the kernel ignores router "
            + "advertisements on an interface unless its accept_ra is 2: the default route is not renewed and "
            + "disappears when its lifetime ends.\",\"Fix\":[\"sysctl -w net.ipv6.conf.eth0.accept_ra=2\","
            + "\"echo 'net.ipv6.conf.eth0.accept_ra = 2' >> /etc/sysctl.d/90-berth.conf\"]}";
    private static final String NAT = "{\"ID\":\"ipv6-global-nat\",\"Severity\":\"info\",\"Subject\":\"web\","
            + "\"Found\":\"network web has the global subnet 2001:db8:77::/64 in nat mode\",\"Why\":\"Reachable only "
            + "through published ports.\",\"Fix\":[\"docker network rm web\"],\"Later\":true}";
    private static final String OK = "{\"ID\":\"forwarding-ipv4\",\"Severity\":\"ok\",\"Subject\":\"\","
            + "\"Found\":\"net.ipv4.ip_forward is 1\",\"Why\":\"\",\"Fix\":[]}";

    @TempDir
    Path dir;
    private volatile String findings;
    private FakeDaemon daemon;

    @BeforeEach
    void start() throws IOException {
        daemon = new FakeDaemon(dir.resolve("doctor.sock"), request -> request.line().equals("GET /v1.50/berth/doctor")
                ? Reply.json("{\"Findings\":[" + findings + "]}\n") : null);
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, Map.of("BERTH_HOST", "unix://" + dir.resolve("doctor.sock")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReportShowsWhatWhyAndFixAndAnErrorExitsWith1() {
        findings = String.join(",", TRAP, NAT, OK);
        Run run = run("doctor");
        assertEquals(1, run.status(), run.err());
        assertEquals("""
                ERROR    ipv6-accept-ra (eth0)
                  found: eth0 learns its IPv6 default route via fe80::1 from router advertisements (proto ra), IPv6
                         forwarding is on and accept_ra is 1
                  why:   With forwarding on, the kernel ignores router advertisements on an interface unless its
                         accept_ra is 2: the default route is not renewed and disappears when its lifetime ends.
                  fix:   sysctl -w net.ipv6.conf.eth0.accept_ra=2
                         echo 'net.ipv6.conf.eth0.accept_ra = 2' >> /etc/sysctl.d/90-berth.conf

                INFO     ipv6-global-nat (web)
                  found: network web has the global subnet 2001:db8:77::/64 in nat mode
                  why:   Reachable only through published ports.
                  fix:   docker network rm web

                ok       forwarding-ipv4: net.ipv4.ip_forward is 1

                1 error, 0 warnings, 1 info, 1 ok
                """, run.out());
        assertEquals(List.of("HEAD /_ping", "GET /v1.50/berth/doctor"), daemon.requests());
    }

    @Test
    void jsonIsTheDaemonsAndWithoutErrorsTheStatusIs0() {
        findings = String.join(",", NAT, OK);
        Run run = run("doctor", "--format", "json");
        assertEquals(0, run.status(), run.err());
        assertEquals("{\"Findings\":[" + NAT + "," + OK + "]}\n", run.out());
        findings = TRAP;
        assertEquals(1, run("doctor", "--format", "json").status());
    }

    @Test
    void anUnknownFormatIsAFlagError() {
        findings = OK;
        Run run = run("doctor", "--format", "table");
        assertEquals(125, run.status());
        assertTrue(run.err().startsWith("invalid argument \"table\" for \"--format\" flag"), run.err());
    }
}
