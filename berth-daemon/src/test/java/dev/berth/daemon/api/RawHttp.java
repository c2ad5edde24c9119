package dev.berth.daemon.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test client: one HTTP/1.1 request over the Unix socket, read to EOF, nothing interpreted for us. */
final class RawHttp {
    private final Path socket;

    RawHttp(Path socket) {
        this.socket = socket;
    }

    /** A response as bytes arrived: status, header lines as sent, body. */
    record Response(int status, List<String> headerLines, String body) {
        /** The value of the one header named so (case-insensitive), exactly as sent. */
        Optional<String> header(String name) {
            return headerLines.stream()
                    .filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(line -> line.substring(name.length() + 1).strip())
                    .findFirst();
        }
    }

    Response get(String target) throws IOException {
        return send("GET", target, null, null);
    }

    Response send(String method, String target, String contentType, String body) throws IOException {
        StringBuilder request = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: api.moby.localhost\r\n")
                .append("User-Agent: berth-test\r\n")
                .append("Connection: close\r\n");
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            request.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            request.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        request.append("\r\n");
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            // one write: a server that answers from the head alone and closes must not make the
            // body's write fail with a broken pipe
            byte[] head = request.toString().getBytes(StandardCharsets.UTF_8);
            ByteBuffer all = ByteBuffer.allocate(head.length + payload.length).put(head).put(payload).flip();
            while (all.hasRemaining()) {
                channel.write(all);
            }
            return parse(readAll(channel));
        }
    }

    /**
     * Sends bytes as given (a hand-made head, then a body) and reads the answer. The server may
     * answer and close before the body is all written (a refused oversized body): the broken pipe
     * is ignored and its answer read.
     */
    Response exchange(byte[] head, byte[] body) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            try {
                channel.write(ByteBuffer.wrap(head));
                channel.write(ByteBuffer.wrap(body));
            } catch (IOException e) {
                // Broken pipe: the server refused the rest of the body.
            }
            return parse(readAnswer(channel));
        }
    }

    /**
     * Everything the server sends until it closes, also when the close is a reset: a server that
     * closes with part of the body unread makes the kernel report ECONNRESET to the next read, once
     * the answer itself has been read.
     */
    private static String readAnswer(SocketChannel channel) throws IOException {
        return read(channel, true);
    }

    /** Everything the server sends until it closes. */
    static String readAll(SocketChannel channel) throws IOException {
        return read(channel, false);
    }

    private static String read(SocketChannel channel, boolean resetEndsAnAnswer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        } catch (IOException reset) {
            if (!resetEndsAnAnswer || out.size() == 0) {
                throw reset;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Response parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String[] head = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(head[0].split(" ")[1]);
        List<String> headers = new ArrayList<>(List.of(head).subList(1, head.length));
        return new Response(status, headers, raw.substring(end + 4));
    }
}
