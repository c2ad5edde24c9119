package dev.berth.daemon.api;

import dev.berth.core.model.IpAddresses;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every refused TLS handshake on the API's TCP listeners, in the words of the Go server
 * dockerd runs: {@code http: TLS handshake error from 127.0.0.1:41234: tls: client didn't provide
 * a certificate}. The reasons a client meets most (no certificate, a certificate of another CA,
 * an expired one, a client gone before the end: {@code EOF}) are given as Go gives them; any other
 * as Java's TLS stack says it.
 */
final class HandshakeLog implements SslHandshakeListener {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeLog.class);

    @Override
    public void handshakeFailed(Event event, Throwable failure) {
        EndPoint endPoint = event.getEndPoint();
        LOG.warn("http: TLS handshake error from {}: {}",
                endPoint == null ? "?" : address(endPoint.getRemoteSocketAddress()), reason(failure));
    }

    static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return IpAddresses.hostPort(host, inet.getPort());
        }
        return String.valueOf(address);
    }

    /** Go's text for the usual reasons, else the failure's own message. */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "tls: failed to verify certificate: x509: certificate has expired or is not yet valid";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
            }
        }
        String message = String.valueOf(failure.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("empty client certificate chain") || lower.contains("empty certificate chain")) {
            return "tls: client didn't provide a certificate";
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException
                    || t.getMessage() == null || text.contains("broken pipe") || text.contains("connection reset")
                    || text.contains("inbound closed") || text.contains("remote host terminated")) {
                // the client went away during the handshake (a port probe, a health check)
                return "EOF";
            }
        }
        return message;
    }
}
