package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real docker CLI 28.2 over TCP with {@code --tlsverify}, against a server that listens on a
 * Unix socket and on 127.0.0.1 with client verification: the same API on both (one dispatcher),
 * hijacked streams ({@code exec}, {@code exec -i}) over TLS, and the clients that are refused
 * and logged: no certificate, a certificate of another CA, no TLS at all.
 */
@Timeout(120)
class DockerCliTlsTest {
    @TempDir
    Path directory;
    private TestCerts certs;
    private TestDaemon daemon;
    private FakeContainerIo io;
    private final List<String> logged = new ArrayList<>();
    /** Held: java.util.logging keeps loggers only weakly, and a collected one loses its handler. */
    private final Logger handshakeLogger = Logger.getLogger(HandshakeLog.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() throws Exception {
        assumeTrue(DockerCli.installed(), "docker CLI not installed at " + DockerCli.DOCKER);
        assumeTrue(TestCerts.available(), "no openssl");
        certs = TestCerts.make(directory.resolve("certs"));
        FakeLauncher launcher = new FakeLauncher();
        io = new FakeContainerIo(launcher::exit);
        handshakeLogger.addHandler(capture);
        daemon = new TestDaemon(directory, launcher, io, new ApiTls(Optional.of(certs.ca()), certs.cert(), certs.key(), true));
    }

    @AfterEach
    void stop() {
        handshakeLogger.removeHandler(capture);
        if (daemon != null) {
            daemon.close();
        }
    }

    private String host() {
        return "tcp://127.0.0.1:" + daemon.tcpPort;
    }

    private DockerCli client(String... global) {
        return new DockerCli(host(), List.of(global), directory);
    }

    private DockerCli verified() {
        return client("--tlsverify", "--tlscacert", certs.ca().toString(), "--tlscert", certs.clientCert().toString(),
                "--tlskey", certs.clientKey().toString());
    }

    private static DockerCli.Run ok(DockerCli.Run run) {
        assertEquals(0, run.exit(), run::err);
        return run;
    }

    private List<String> handshakeErrors() {
        synchronized (logged) {
            return logged.stream().filter(l -> l.startsWith("http: TLS handshake error from 127.0.0.1:")).toList();
        }
    }

    @Test
    void networkCommandsOverTlsSeeWhatTheUnixSocketSees() throws Exception {
        DockerCli tls = verified();
        String id = ok(tls.run("network", "create", "remote")).out().strip();
        assertEquals(64, id.length(), id);
        assertTrue(ok(tls.run("network", "ls", "--format", "{{.Name}}")).out().lines().toList().contains("remote"));
        assertEquals(id + "\n", ok(tls.run("network", "inspect", "-f", "{{.Id}}", "remote")).out());
        DockerCli local = new DockerCli(daemon.socket, directory);
        assertEquals(id + "\n", ok(local.run("network", "inspect", "-f", "{{.Id}}", "remote")).out());
        DockerCli.Run missing = tls.run("network", "inspect", "nosuch");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("network nosuch not found"), missing.err());
        assertEquals(List.of(), handshakeErrors());
    }

    @Test
    void execStreamsAreHijackedOverTls() throws Exception {
        DockerCli tls = verified();
        ok(tls.run("create", "--name", "c1", "busybox", "sh"));
        ok(tls.run("start", "c1"));
        assertEquals("hi there\n", ok(tls.run("exec", "c1", "echo", "hi", "there")).out());
        DockerCli.Run failed = tls.run("exec", "c1", "fail");
        assertEquals(3, failed.exit());
        assertEquals("trying\n", failed.out());
        assertEquals("oops\n", failed.err());
        // stdin reaches the process and its end (the CLI's half-close of the TLS stream) ends it
        assertEquals("line one\nline two\n", ok(tls.runWithInput("line one\nline two\n", "exec", "-i", "c1", "cat")).out());
    }

    @Test
    void aClientWithoutACertificateIsRefusedAndLogged() throws Exception {
        DockerCli.Run run = client("--tls", "--tlscacert", certs.ca().toString()).run("network", "ls");
        assertNotEquals(0, run.exit(), run.out());
        awaitLogged("tls: client didn't provide a certificate");
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefusedAndLogged() throws Exception {
        DockerCli.Run run = client("--tlsverify", "--tlscacert", certs.ca().toString(), "--tlscert",
                certs.otherClientCert().toString(), "--tlskey", certs.otherClientKey().toString()).run("network", "ls");
        assertNotEquals(0, run.exit(), run.out());
        // The server names the CAs it accepts; a Go client then holds back a certificate of another
        // CA, so dockerd logs the same as for none.
        awaitLogged("tls: client didn't provide a certificate");
        // A client that sends it anyway (openssl s_client) is refused for it.
        Process sClient = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + daemon.tcpPort,
                "-CAfile", certs.ca().toString(), "-cert", certs.otherClientCert().toString(), "-key",
                certs.otherClientKey().toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        sClient.getInputStream().readAllBytes();
        sClient.waitFor();
        awaitLogged("tls: failed to verify certificate: x509: certificate signed by unknown authority");
    }

    @Test
    void aClientWithoutTlsIsAnsweredAsGoAnswersIt() throws Exception {
        DockerCli.Run run = client().run("network", "ls");
        assertNotEquals(0, run.exit(), run.out());
        assertEquals("", run.out());
        assertTrue(run.err().contains("Client sent an HTTP request to an HTTPS server."), run.err());
        awaitLogged("client sent an HTTP request to an HTTPS server");
    }

    private void awaitLogged(String reason) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (handshakeErrors().stream().anyMatch(l -> l.endsWith(": " + reason))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no handshake error \"" + reason + "\" logged: " + logged);
    }
}
