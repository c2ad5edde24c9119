package dev.berth.cluster.etcd;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS to etcd, as etcd's own clients take it ({@code --cacert}, {@code --cert}, {@code --key}): the
 * CA that signed etcd's server certificate, and this client's certificate and key (PEM; the key
 * unencrypted PKCS#8, {@code BEGIN PRIVATE KEY}, as {@code openssl genpkey} writes it).
 */
public record EtcdTls(Path caFile, Path certFile, Path keyFile) {
    public EtcdTls {
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }
}
