package dev.berth.cli.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a Unix-domain socket with the JDK's {@link SocketChannel}: one connection per
 * request, {@code Connection: close}. The daemon may keep the connection open; the response is
 * framed by its headers, so that does not matter.
 */
public final class UnixSocketTransport implements Transport {

    /** The fixed Host header the docker client uses for Unix sockets. */
    static final String HOST = "api.moby.localhost";

    private final DaemonAddress address;
    private final String userAgent;

    /** A transport to {@code address}, announcing itself as {@code userAgent}. */
    public UnixSocketTransport(DaemonAddress address, String userAgent) {
        this.address = address;
        this.userAgent = userAgent;
    }

    @Override
    public HttpResponse exchange(HttpRequest request) {
        try (SocketChannel channel = connect()) {
            channel.write(ByteBuffer.wrap(head(request)));
            if (request.body() != null) {
                channel.write(ByteBuffer.wrap(request.body()));
            }
            return new ResponseReader(new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024))
                    .read(request.method().equals("HEAD"));
        } catch (IOException e) {
            throw new ConnectionFailure("error during connect: " + request.method() + " \"http://" + HOST
                    + request.target() + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public ResponseStream open(HttpRequest request) {
        SocketChannel channel = connect();
        try {
            channel.write(ByteBuffer.wrap(head(request)));
            if (request.body() != null) {
                channel.write(ByteBuffer.wrap(request.body()));
            }
            ResponseReader reader = new ResponseReader(new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024));
            HttpResponse head = reader.readHead();
            return new ResponseStream(head, reader.bodyStream(head), channel);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new ConnectionFailure("error during connect: " + request.method() + " \"http://" + HOST
                    + request.target() + "\": " + e.getMessage(), e);
        }
    }

    private SocketChannel connect() {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(address.socket()));
            return channel;
        } catch (IOException e) {
            closeQuietly(channel, e);
            String reason = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (reason.contains("permission denied")) {
                throw new ConnectionFailure("permission denied while trying to connect to the Berth daemon socket at "
                        + address.uri() + ": connect: permission denied", e);
            }
            throw new ConnectionFailure("Cannot connect to the Berth daemon at " + address.uri()
                    + ". Is the berth daemon running?", e);
        }
    }

    private static void closeQuietly(SocketChannel channel, IOException failure) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private byte[] head(HttpRequest request) {
        StringBuilder head = new StringBuilder(256);
        head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(HOST).append("\r\n");
        head.append("User-Agent: ").append(userAgent).append("\r\n");
        if (request.body() != null) {
            if (request.contentType() != null) {
                head.append("Content-Type: ").append(request.contentType()).append("\r\n");
            }
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
        } else if (request.method().equals("POST") || request.method().equals("PUT")) {
            // Go's client announces an empty body only for methods that usually carry one
            head.append("Content-Length: 0\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }
}
