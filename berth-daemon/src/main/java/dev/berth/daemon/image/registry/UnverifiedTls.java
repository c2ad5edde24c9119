package dev.berth.daemon.image.registry;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS without certificate or host name checks, for what dockerd calls insecure registries: only
 * loopback ones here (the registry runs on this host, so nobody sits in between). An extended trust
 * manager that accepts everything also skips the host name check the JDK would otherwise make.
 */
final class UnverifiedTls extends X509ExtendedTrustManager {

    private UnverifiedTls() {
    }

    static SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new UnverifiedTls()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // a client never presents one to us
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // insecure registry: accepted as dockerd's InsecureSkipVerify does
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // a client never presents one to us
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // insecure registry: accepted as dockerd's InsecureSkipVerify does
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // a client never presents one to us
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // insecure registry: accepted as dockerd's InsecureSkipVerify does
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
