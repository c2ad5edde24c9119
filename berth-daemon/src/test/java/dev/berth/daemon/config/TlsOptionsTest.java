package dev.berth.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.daemon.api.ApiListener;
import dev.berth.daemon.api.ApiTls;
import dev.berth.daemon.api.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -H}, {@code --tls}, {@code --tlsverify} and the TLS files as dockerd reads them, and
 * Berth's refusal of a TCP listener nobody asked to leave unauthenticated.
 */
class TlsOptionsTest {
    @TempDir
    Path dir;
    private TestCerts certs;

    @BeforeEach
    void certificates() throws Exception {
        assumeTrue(TestCerts.available(), "no openssl");
        certs = TestCerts.make(dir.resolve("certs"));
    }

    private DaemonConfig load(String json, String... flags) throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, json);
        List<String> args = new ArrayList<>(List.of("--config-file", file.toString()));
        args.addAll(List.of(flags));
        // the default directory of the files is the test's (dockerd's is ~/.docker)
        return ConfigLoader.load(DaemonFlags.parse(args), name -> true, certs.dir()).config();
    }

    private String error(String json, String... flags) {
        return assertThrows(ConfigException.class, () -> load(json, flags)).getMessage();
    }

    @Test
    void tlsverifyWithTheDefaultFilesListensOnTcpAndUnix() throws Exception {
        DaemonConfig c = load("{}", "-H", "unix:///tmp/b.sock", "-H", "tcp://127.0.0.1:2376", "--tlsverify");
        assertEquals(List.of(new ApiListener.Unix(Path.of("/tmp/b.sock")), new ApiListener.Tcp("127.0.0.1", 2376)),
                c.hosts());
        ApiTls tls = c.tls().orElseThrow();
        assertTrue(tls.verifyClients());
        assertEquals(Optional.of(certs.ca()), tls.caFile());
        assertEquals(certs.cert(), tls.certFile());
        assertEquals(certs.key(), tls.keyFile());
    }

    @Test
    void tlsAloneVerifiesClientsAsDockerdDoesAndTlsverifyFalseIsServerTlsOnly() throws Exception {
        assertTrue(load("{}", "-H", "tcp://127.0.0.1:2376", "--tls").tls().orElseThrow().verifyClients());
        ApiTls serverOnly = load("{}", "-H", "tcp://127.0.0.1:2376", "--tlsverify=false").tls().orElseThrow();
        assertFalse(serverOnly.verifyClients());
        assertEquals(Optional.empty(), serverOnly.caFile());
        // tlsverify given at all turns TLS on, even with tls=false (moby issue 27105)
        assertTrue(load("{\"tls\": false, \"tlsverify\": false}", "-H", "tcp://127.0.0.1:2376").tls().isPresent());
        assertEquals(Optional.empty(), load("{}").tls());
    }

    @Test
    void theSameKeysInDaemonJson() throws Exception {
        DaemonConfig c = load("""
                {"hosts": ["unix:///tmp/b.sock", "tcp://0.0.0.0:2376"], "tlsverify": true,
                 "tlscacert": "%s", "tlscert": "%s", "tlskey": "%s"}
                """.formatted(certs.ca(), certs.cert(), certs.key()));
        assertEquals(2, c.hosts().size());
        assertTrue(c.tls().orElseThrow().verifyClients());
        assertTrue(error("{\"tlsverify\": true}", "--tlsverify").contains("both as a flag and in the configuration file: tlsverify"));
    }

    @Test
    void plainTcpIsRefusedUnlessTlsIsTurnedOffExplicitly() throws Exception {
        String refused = error("{}", "-H", "tcp://127.0.0.1:2375");
        assertTrue(refused.contains("refusing to listen on tcp://127.0.0.1:2375 without TLS"), refused);
        assertTrue(refused.contains("Binding to IP address without --tlsverify is insecure"), refused);
        assertTrue(refused.contains("'--tls=false' or '--tlsverify=false'"), refused);
        assertTrue(error("{\n  \"hosts\": [\"tcp://127.0.0.1:2375\"]\n}").contains("line 2: refusing"));
        DaemonConfig forced = load("{}", "-H", "tcp://127.0.0.1:2375", "--tls=false");
        assertEquals(List.of(new ApiListener.Tcp("127.0.0.1", 2375)), forced.hosts());
        assertEquals(Optional.empty(), forced.tls());
        assertEquals(Optional.empty(), load("{\"tls\": false, \"hosts\": [\"tcp://127.0.0.1:2375\"]}").tls());
    }

    @Test
    void hostsAreParsedAndDefaultedAsDockerdParsesThem() throws Exception {
        assertEquals(List.of(new ApiListener.Tcp("localhost", 2375)), load("{}", "-H", "tcp://", "--tls=false").hosts());
        assertEquals(List.of(new ApiListener.Tcp("localhost", 2376)), load("{}", "-H", "tcp://:2376", "--tls=false").hosts());
        assertEquals(List.of(new ApiListener.Tcp("0.0.0.0", 2376)), load("{}", "-H", "0.0.0.0:2376", "--tls=false").hosts());
        assertEquals(List.of(new ApiListener.Tcp("::1", 2376)), load("{}", "-H", "tcp://[::1]:2376", "--tls=false").hosts());
        assertEquals("tcp://[::1]:2376", new ApiListener.Tcp("::1", 2376).toString());
        assertEquals(List.of(new ApiListener.Unix(Path.of("/run/berth/berth.sock"))), load("{}", "-H", "unix://").hosts());
        assertEquals(List.of(new ApiListener.Unix(Path.of("/tmp/a.sock"))),
                load("{}", "-H", "unix:///tmp/a.sock", "-H", "unix:///tmp/a.sock").hosts());
        // --tls without -H: dockerd listens on tcp://localhost:2376 only
        assertEquals(List.of(new ApiListener.Tcp("localhost", 2376)), load("{}", "--tlsverify").hosts());
        assertTrue(error("{}", "-H", "tcp://127.0.0.1:99999", "--tls=false").contains("invalid port: 99999"));
        assertTrue(error("{}", "-H", "tcp://127.0.0.1:2376/x", "--tls=false").contains("should not contain a path element"));
        assertTrue(error("{}", "-H", "ssh://host").contains("unsupported proto 'ssh'"));
        assertTrue(error("{}", "-H", "fd://").contains("fd://"));
    }

    @Test
    void tlsverifyWithoutACaIsAClearError() throws Exception {
        String message = error("{}", "-H", "tcp://127.0.0.1:2376", "--tlsverify", "--tlscacert", "");
        assertTrue(message.contains("--tlsverify needs the CA that client certificates must be signed by (--tlscacert)"),
                message);
        Files.delete(certs.ca());
        String missing = error("{}", "-H", "tcp://127.0.0.1:2376", "--tlsverify");
        assertEquals("invalid TLS configuration: could not read CA certificate \"" + certs.ca() + "\": open "
                + certs.ca() + ": no such file or directory", missing);
        // without verification the CA is not needed
        load("{}", "-H", "tcp://127.0.0.1:2376", "--tlsverify=false");
    }

    @Test
    void missingOrMismatchedKeyPairNamesTheFiles() throws Exception {
        String pair = "invalid TLS configuration: could not load X509 key pair (cert: \"" + certs.cert() + "\", key: \"";
        Path nowhere = dir.resolve("nowhere.pem");
        assertEquals(pair + nowhere + "\"): open " + nowhere + ": no such file or directory",
                error("{}", "--tlsverify", "--tlskey", nowhere.toString()));
        assertEquals(pair + certs.clientKey() + "\"): tls: private key does not match public key",
                error("{}", "--tlsverify", "--tlskey", certs.clientKey().toString()));
        assertTrue(error("{}", "--tlsverify", "--tlskey", certs.cert().toString())
                .endsWith("tls: found a certificate rather than a key in the PEM for the private key"));
        String notCa = error("{\n  \"tlscacert\": \"" + certs.key() + "\"\n}", "--tlsverify");
        assertTrue(notCa.contains("line 2: invalid TLS configuration: failed to append certificates from PEM file: \""
                + certs.key() + "\""), notCa);
    }

    @Test
    void encryptedKeysAreRefusedAsDockerdRefusesThem() throws Exception {
        TestCerts.openssl(certs.dir(), "pkcs8", "-topk8", "-in", "key.pem", "-out", "encrypted.pem", "-passout", "pass:x");
        String message = error("{}", "--tlsverify", "--tlskey", certs.dir().resolve("encrypted.pem").toString());
        assertTrue(message.endsWith("private key is encrypted; encrypted private keys are obsolete, and not supported"),
                message);
    }

    @Test
    void defaultCertificateDirectoryIsDockerCertPathElseDockerConfigElseHome() {
        assertEquals(Path.of("/c"), TlsOptions.defaultCertDir(Map.of("DOCKER_CERT_PATH", "/c", "DOCKER_CONFIG", "/d"), "/root"));
        assertEquals(Path.of("/d"), TlsOptions.defaultCertDir(Map.of("DOCKER_CONFIG", "/d"), "/root"));
        assertEquals(Path.of("/root/.docker"), TlsOptions.defaultCertDir(Map.of(), "/root"));
    }
}
