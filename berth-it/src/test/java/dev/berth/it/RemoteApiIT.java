package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.daemon.api.TestCerts;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Engine API over TCP, as {@code dockerd -H unix://... -H tcp://127.0.0.1:2376 --tlsverify}
 * serves it: berthd in its namespace with certificates the test makes with {@code openssl} (as
 * Docker's "Protect the Docker daemon socket" makes them), driven by the real docker CLI run in
 * the same namespace with {@code --tlsverify}; refused clients are logged; a TCP listener without
 * TLS is refused at start-up unless {@code --tls=false} forces it, then served after dockerd's
 * warnings.
 */
@ExtendWith(TestbedExtension.class)
class RemoteApiIT {
    private static final String DOCKER = "/usr/local/bin/docker";
    private static final String TLS_HOST = "tcp://127.0.0.1:2376";

    /** CA, server certificate for 127.0.0.1, a client of the CA, and a client of another CA. */
    private static Path certs(Testbed bed) {
        Path dir = bed.dir().resolve("tls");
        try {
            if (!Files.exists(dir.resolve("other-client-cert.pem"))) {
                TestCerts.make(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making certificates", e);
        }
        return dir;
    }

    private static String[] serverFlags(Path certs) {
        return new String[] {"-H", TLS_HOST, "--tlsverify", "--tlscacert", certs.resolve("ca.pem").toString(),
                "--tlscert", certs.resolve("cert.pem").toString(), "--tlskey", certs.resolve("key.pem").toString()};
    }

    /** {@code docker args...} inside the daemon's namespace (its 127.0.0.1), with an empty config directory. */
    private static CommandResult docker(Testbed bed, String... args) {
        Path config = bed.dir().resolve("remote-docker-config");
        try {
            Files.createDirectories(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> argv = new ArrayList<>(HostFixture.inNamespace(bed.host().hostNs(), "env", "-u", "DOCKER_HOST",
                "-u", "DOCKER_TLS_VERIFY", "-u", "DOCKER_CERT_PATH", "DOCKER_CONFIG=" + config, DOCKER));
        argv.addAll(List.of(args));
        return bed.run(argv);
    }

    private static CommandResult verified(Testbed bed, Path certs, String... args) {
        List<String> argv = new ArrayList<>(List.of("--tlsverify", "--tlscacert", certs.resolve("ca.pem").toString(),
                "--tlscert", certs.resolve("client-cert.pem").toString(), "--tlskey",
                certs.resolve("client-key.pem").toString(), "-H", TLS_HOST));
        argv.addAll(List.of(args));
        return docker(bed, argv.toArray(String[]::new));
    }

    @Test
    void theDockerCliWithTlsverifyDrivesTheDaemonOverTcpBesideTheUnixSocket(Testbed bed) {
        Path certs = certs(bed);
        bed.daemon().start(serverFlags(certs));
        String log = bed.daemon().stderr();
        assertTrue(log.contains("API listen on 127.0.0.1:2376"), log);
        assertTrue(log.contains("API listen on " + bed.daemon().socket()), log);
        assertTrue(!log.contains("without --tlsverify"), log);

        String id = verified(bed, certs, "network", "create", "--subnet", "10.77.0.0/24", "remote-net")
                .assertSuccess().stdout().strip();
        assertEquals(64, id.length(), id);
        assertTrue(verified(bed, certs, "network", "ls", "--format", "{{.Name}}").assertSuccess().lines()
                .contains("remote-net"));
        String overTls = verified(bed, certs, "network", "inspect", "remote-net").assertSuccess().stdout();
        assertEquals(bed.docker().ok("network", "inspect", "remote-net").stdout(), overTls);
        // the kernel object the remote client asked for
        assertEquals(List.of("10.77.0.1/24"), bed.host().hostLink("br-" + id.substring(0, 12))
                .orElseThrow(() -> new AssertionError("no bridge for remote-net")).addresses(true));
        // a hijacked stream over TLS: run without -d attaches, and --rm removes the container after
        CommandResult run = verified(bed, certs, "run", "--rm", "--network", "remote-net", "busybox", "sh", "-c",
                "echo over tls; ip -4 -o addr show eth0");
        run.assertSuccess();
        assertTrue(run.stdout().startsWith("over tls\n"), run.describe());
        assertTrue(run.stdout().contains("inet 10.77.0."), run.describe());
        assertEquals("", bed.docker().ok("ps", "-aq").stdout());
        // the daemon's port is not for containers to publish, as dockerd reserves it
        CommandResult taken = bed.docker().run("create", "-p", "2376:80", "busybox");
        assertNotEquals(0, taken.exitCode(), taken.describe());
        assertTrue(taken.stderr().contains("Bind for 0.0.0.0:2376 failed: port is already allocated"), taken.describe());
        CommandResult missing = verified(bed, certs, "network", "inspect", "nosuch");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("network nosuch not found"), missing.describe());
        verified(bed, certs, "network", "rm", "remote-net").assertSuccess();
        assertEquals(Optional.empty(), bed.host().hostLink("br-" + id.substring(0, 12)));
    }

    @Test
    void tlsFromDaemonJsonAndAReloadThatBreaksItKeepsServing(Testbed bed) {
        Path certs = certs(bed);
        String json = "{\n  \"tlsverify\": true,\n  \"tlscacert\": \"" + certs.resolve("ca.pem") + "\",\n  \"tlscert\": \""
                + certs.resolve("cert.pem") + "\",\n  \"tlskey\": \"KEY\"\n}\n";
        bed.daemon().writeConfig(json.replace("KEY", certs.resolve("key.pem").toString()));
        bed.daemon().start("-H", TLS_HOST);
        verified(bed, certs, "network", "ls").assertSuccess();
        bed.daemon().writeConfig(json.replace("KEY", certs.resolve("gone.pem").toString()));
        String outcome = bed.daemon().reload();
        assertTrue(outcome.contains("reload failed, running configuration kept") && outcome.contains("line 5")
                && outcome.contains("open " + certs.resolve("gone.pem") + ": no such file or directory"), outcome);
        verified(bed, certs, "network", "ls").assertSuccess();
    }

    @Test
    void clientsWithoutACertificateOrWithAnotherCasAreRefusedAndLogged(Testbed bed) {
        Path certs = certs(bed);
        bed.daemon().start(serverFlags(certs));
        String networksBefore = bed.docker().ok("network", "ls", "-q").stdout();

        CommandResult noCert = docker(bed, "--tls", "--tlscacert", certs.resolve("ca.pem").toString(), "-H", TLS_HOST,
                "network", "create", "sneaky");
        assertNotEquals(0, noCert.exitCode(), noCert.describe());
        awaitLogged(bed, "tls: client didn't provide a certificate");

        CommandResult otherCa = docker(bed, "--tlsverify", "--tlscacert", certs.resolve("ca.pem").toString(),
                "--tlscert", certs.resolve("other-client-cert.pem").toString(), "--tlskey",
                certs.resolve("other-client-key.pem").toString(), "-H", TLS_HOST, "network", "create", "sneaky");
        assertNotEquals(0, otherCa.exitCode(), otherCa.describe());
        // a client that sends the other CA's certificate anyway (the docker CLI holds it back)
        bed.run(HostFixture.inNamespace(bed.host().hostNs(), "sh", "-c", "openssl s_client -connect 127.0.0.1:2376 "
                + "-CAfile \"$0/ca.pem\" -cert \"$0/other-client-cert.pem\" -key \"$0/other-client-key.pem\" </dev/null",
                certs.toString()));
        awaitLogged(bed, "tls: failed to verify certificate: x509: certificate signed by unknown authority");

        CommandResult plain = docker(bed, "-H", TLS_HOST, "network", "create", "sneaky");
        assertNotEquals(0, plain.exitCode(), plain.describe());
        assertEquals(networksBefore, bed.docker().ok("network", "ls", "-q").stdout(), "a refused client changed something");
    }

    @Test
    void plainTcpIsRefusedAtStartUnlessForcedThenServedAfterDockerdsWarning(Testbed bed) {
        bed.daemon().launch("-H", "tcp://127.0.0.1:2375");
        Optional<Integer> code = bed.daemon().awaitExit(Duration.ofSeconds(20));
        assertTrue(code.isPresent() && code.get() != 0, () -> "started with an unauthenticated TCP listener\n"
                + bed.daemon().logs());
        String refused = bed.daemon().stderr();
        assertTrue(refused.contains("refusing to listen on tcp://127.0.0.1:2375 without TLS: Binding to IP address "
                + "without --tlsverify is insecure and gives root access on this machine to everyone who has access to "
                + "your network."), refused);
        assertTrue(refused.contains("'--tls=false' or '--tlsverify=false'"), refused);
        assertTrue(bed.host().hostLink("docker0").isEmpty(), "a refused start must not touch the kernel");

        bed.daemon().start("-H", "tcp://127.0.0.1:2375", "--tls=false");
        String warned = bed.daemon().stderr();
        assertTrue(warned.contains("level=warning msg=\"Binding to IP address without --tlsverify is insecure and gives "
                + "root access on this machine to everyone who has access to your network. (host tcp://127.0.0.1:2375)\""),
                warned);
        assertTrue(warned.contains("[DEPRECATION NOTICE]"), warned);
        assertTrue(warned.contains("API listen on 127.0.0.1:2375"), warned);
        CommandResult ls = docker(bed, "-H", "tcp://127.0.0.1:2375", "network", "ls", "--format", "{{.Name}}");
        ls.assertSuccess();
        assertEquals(List.of("bridge", "host", "none"), ls.lines().stream().sorted().toList());
    }

    private static void awaitLogged(Testbed bed, String reason) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (bed.daemon().stderr().lines().anyMatch(l -> l.contains("level=warning msg=\"http: TLS handshake error "
                    + "from 127.0.0.1:") && l.endsWith(": " + reason + "\""))) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no handshake error \"" + reason + "\" logged\n" + bed.daemon().logs());
    }
}
