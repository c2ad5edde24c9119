package dev.berth.daemon.image.registry;

import dev.berth.core.errors.InternalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Extra certificate authorities per registry, as dockerd's {@code /etc/docker/certs.d}: every
 * {@code *.crt} in {@code <certs.d>/<host[:port]>/} is trusted for that registry, in addition to the
 * JVM's own CAs. Read at every pull, so a CA dropped in takes effect without a restart. Client
 * certificates ({@code client.cert}/{@code client.key}) are not supported.
 */
public final class RegistryTrust {
    private final Path certsDir;

    /** Trust from {@code certsDir} (which need not exist). */
    public RegistryTrust(Path certsDir) {
        this.certsDir = certsDir;
    }

    /** The JVM's CAs only. */
    public static RegistryTrust none() {
        return new RegistryTrust(null);
    }

    /** The directory read, or null. */
    public Path certsDir() {
        return certsDir;
    }

    /** The CA files for {@code domain}, sorted; empty when there are none. */
    List<Path> caFiles(String domain) {
        if (certsDir == null || domain.contains("/") || domain.startsWith(".")) {
            return List.of();
        }
        Path dir = certsDir.resolve(domain);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".crt")).sorted().toList();
        } catch (IOException e) {
            throw new InternalException("read " + dir + ": " + e.getMessage(), e);
        }
    }

    /** An SSL context trusting the JVM's CAs and {@code domain}'s own, or empty when it has none. */
    Optional<SSLContext> contextFor(String domain) {
        List<Path> files = caFiles(domain);
        if (files.isEmpty()) {
            return Optional.empty();
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : jvmAuthorities()) {
                store.setCertificateEntry("jvm-" + n++, ca);
            }
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Certificate cert : x509.generateCertificates(in)) {
                        store.setCertificateEntry("certs.d-" + n++, cert);
                    }
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new InternalException("load the CA certificates of registry " + domain + " from "
                    + certsDir.resolve(domain) + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> jvmAuthorities() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        List<X509Certificate> out = new ArrayList<>();
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                out.addAll(List.of(x509.getAcceptedIssuers()));
            }
        }
        return out;
    }
}
