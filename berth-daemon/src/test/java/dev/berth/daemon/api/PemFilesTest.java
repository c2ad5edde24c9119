package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.errors.InvalidParameterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key formats {@code openssl} writes, read as Go reads them, and what is refused. */
class PemFilesTest {
    @TempDir
    Path dir;

    private PrivateKey keyOf(String... opensslArgs) throws Exception {
        assumeTrue(TestCerts.available(), "no openssl");
        TestCerts.openssl(dir, opensslArgs);
        return PemFiles.privateKey(dir.resolve("k.pem"), "key");
    }

    @Test
    void rsaKeysInPkcs1AndPkcs8() throws Exception {
        PrivateKey pkcs1 = keyOf("genrsa", "-traditional", "-out", "k.pem", "2048");
        assertTrue(Files.readString(dir.resolve("k.pem")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertEquals("RSA", pkcs1.getAlgorithm());
        Files.delete(dir.resolve("k.pem"));
        assertEquals("RSA", keyOf("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "k.pem")
                .getAlgorithm());
    }

    @Test
    void ecKeysInSec1AndPkcs8AndEd25519() throws Exception {
        assertEquals("EC", keyOf("ecparam", "-name", "secp384r1", "-genkey", "-out", "k.pem").getAlgorithm());
        // with the parameters block before the key, as ecparam -genkey writes it
        assertTrue(Files.readString(dir.resolve("k.pem")).startsWith("-----BEGIN EC PARAMETERS-----"));
        Files.delete(dir.resolve("k.pem"));
        assertEquals("EC", keyOf("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem")
                .getAlgorithm());
        Files.delete(dir.resolve("k.pem"));
        assertTrue(List.of("Ed25519", "EdDSA").contains(keyOf("genpkey", "-algorithm", "ed25519", "-out", "k.pem")
                .getAlgorithm()));
    }

    @Test
    void certificateChainsAndTheirKeysMatch() throws Exception {
        assumeTrue(TestCerts.available(), "no openssl");
        TestCerts certs = TestCerts.make(dir.resolve("certs"));
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, "leading text\n" + Files.readString(certs.cert()) + Files.readString(certs.ca()));
        List<X509Certificate> chain = PemFiles.certificates(bundle, "cert");
        assertEquals(2, chain.size());
        PemFiles.checkPair(PemFiles.privateKey(certs.key(), "key"), chain.getFirst(), "pair");
        InvalidParameterException mismatch = assertThrows(InvalidParameterException.class,
                () -> PemFiles.checkPair(PemFiles.privateKey(certs.clientKey(), "key"), chain.getFirst(), "pair"));
        assertEquals("pair: tls: private key does not match public key", mismatch.getMessage());
    }

    @Test
    void garbageIsNamedAsGoNamesIt() throws Exception {
        Path file = dir.resolve("junk.pem");
        Files.writeString(file, "not a PEM file\n");
        assertEquals("cert: tls: failed to find any PEM data in certificate input",
                assertThrows(InvalidParameterException.class, () -> PemFiles.certificates(file, "cert")).getMessage());
        assertEquals("key: tls: failed to find any PEM data in key input",
                assertThrows(InvalidParameterException.class, () -> PemFiles.privateKey(file, "key")).getMessage());
        Files.writeString(file, "-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n");
        assertTrue(assertThrows(InvalidParameterException.class, () -> PemFiles.privateKey(file, "key")).getMessage()
                .startsWith("key: x509: "));
        Files.writeString(file, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
                + "MAA=\n-----END RSA PRIVATE KEY-----\n");
        assertEquals("key: private key is encrypted; encrypted private keys are obsolete, and not supported",
                assertThrows(InvalidParameterException.class, () -> PemFiles.privateKey(file, "key")).getMessage());
    }
}
