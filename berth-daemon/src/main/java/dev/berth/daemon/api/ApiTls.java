package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS on the API's TCP listeners, as dockerd's {@code --tlscert}, {@code --tlskey} and, with
 * {@code --tlsverify}, {@code --tlscacert}: the server presents the certificate chain of
 * {@code certFile} with the key of {@code keyFile}; when {@code verifyClients}, a client must
 * present a certificate that chains to a CA of {@code caFile} (only those: not the system's CAs),
 * else the handshake fails. TLS 1.2 at least, as go-connections' server defaults.
 *
 * @param caFile        PEM certificates of the CAs client certificates must chain to; required when verifying
 * @param certFile      PEM certificate chain of the server, its own certificate first
 * @param keyFile       PEM private key of the server's certificate (unencrypted)
 * @param verifyClients require and verify client certificates ({@code --tlsverify})
 */
public record ApiTls(Optional<Path> caFile, Path certFile, Path keyFile, boolean verifyClients) {
    private static final String PREFIX = "invalid TLS configuration: ";
    /** The password of the in-memory key store (PKCS#12 wants one). */
    private static final String IN_MEMORY = "berth";

    public ApiTls {
        if (verifyClients && caFile.isEmpty()) {
            throw new InvalidParameterException(PREFIX
                    + "--tlsverify needs the CA that client certificates must be signed by (--tlscacert)");
        }
    }

    /** The key pair and CAs as read now. */
    record Material(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> cas) {
    }

    /** Reads and checks every file; throws an {@link InvalidParameterException} naming the file and the fault. */
    public void check() {
        load();
    }

    Material load() {
        String pair = PREFIX + "could not load X509 key pair (cert: \"" + certFile + "\", key: \"" + keyFile + "\")";
        List<X509Certificate> chain = PemFiles.certificates(certFile, pair);
        PrivateKey key = PemFiles.privateKey(keyFile, pair);
        PemFiles.checkPair(key, chain.getFirst(), pair);
        List<X509Certificate> cas = List.of();
        if (verifyClients) {
            Path ca = caFile.orElseThrow();
            try {
                cas = PemFiles.certificates(ca, PREFIX + "could not read CA certificate \"" + ca + "\"");
            } catch (InvalidParameterException e) {
                if (e.getMessage().contains(": open ")) {
                    throw e;
                }
                throw new InvalidParameterException(PREFIX + "failed to append certificates from PEM file: \"" + ca + "\"", e);
            }
        }
        return new Material(key, chain, cas);
    }

    /** Jetty's server side of this configuration, the files read now. */
    SslContextFactory.Server serverFactory() {
        Material material = load();
        SslContextFactory.Server factory = new SslContextFactory.Server();
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("berth", material.key(), IN_MEMORY.toCharArray(), material.chain().toArray(X509Certificate[]::new));
            factory.setKeyStore(keys);
            factory.setKeyStorePassword(IN_MEMORY);
            factory.setKeyManagerPassword(IN_MEMORY);
            if (verifyClients) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                for (int i = 0; i < material.cas().size(); i++) {
                    trusted.setCertificateEntry("ca-" + i, material.cas().get(i));
                }
                factory.setTrustStore(trusted);
                factory.setNeedClientAuth(true);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidParameterException(PREFIX + e.getMessage(), e);
        }
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // the API is reached by address as often as by name: no SNI is required or checked
        factory.setSniRequired(false);
        return factory;
    }
}
