package dev.berth.daemon.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.OptionalSslConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first protocol of a TLS listener: a TLS client goes on to {@code ssl}; a plain HTTP client
 * gets the answer Go's server gives it, {@code 400} with {@value #ANSWER_BODY} (which the docker
 * CLI shows as {@code Error response from daemon: Client sent an HTTP request to an HTTPS
 * server.}), and is logged; anything else is logged and dropped.
 */
final class TlsOnly extends OptionalSslConnectionFactory {
    static final String ANSWER_BODY = "Client sent an HTTP request to an HTTPS server.\n";
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeLog.class);

    TlsOnly(SslConnectionFactory ssl) {
        super(ssl, null);
    }

    @Override
    protected void otherProtocol(ByteBuffer buffer, EndPoint endPoint) {
        boolean http = looksLikeHttp(buffer);
        LOG.warn("http: TLS handshake error from {}: {}", HandshakeLog.address(endPoint.getRemoteSocketAddress()),
                http ? "client sent an HTTP request to an HTTPS server" : "tls: first record does not look like a TLS handshake");
        if (!http) {
            endPoint.close();
            return;
        }
        Callback.Completable written = new Callback.Completable();
        endPoint.write(written, ByteBuffer.wrap(("HTTP/1.0 400 Bad Request\r\n\r\n" + ANSWER_BODY)
                .getBytes(StandardCharsets.US_ASCII)));
        written.whenComplete((ignored, failure) -> endPoint.close());
    }

    /** Go's test: the first bytes of a method it knows. */
    private static boolean looksLikeHttp(ByteBuffer buffer) {
        int n = Math.min(5, buffer.remaining());
        byte[] head = new byte[n];
        buffer.duplicate().get(head);
        String start = new String(head, StandardCharsets.US_ASCII);
        return switch (start) {
            case "GET /", "HEAD ", "POST ", "PUT /", "OPTIO" -> true;
            default -> false;
        };
    }
}
