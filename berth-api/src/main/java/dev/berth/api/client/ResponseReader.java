package dev.berth.api.client;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.1 response: status line, headers, and a body framed by
 * {@code Transfer-Encoding: chunked}, {@code Content-Length} or the end of the stream. Interim
 * 1xx responses are skipped.
 */
public final class ResponseReader {

    private static final int MAX_LINE = 64 * 1024;

    private final InputStream in;

    /** A reader of responses arriving on {@code in} (buffer it: the head is read byte by byte). */
    public ResponseReader(InputStream in) {
        this.in = in;
    }

    /** One whole response; {@code head}: it answers a HEAD request, so it has no body whatever its headers say. */
    public HttpResponse read(boolean head) throws IOException {
        HttpResponse response = readHead();
        byte[] body = head || response.status() == 204 || response.status() == 304 ? new byte[0] : body(response.headers());
        return new HttpResponse(response.status(), response.reason(), response.headers(), body);
    }

    /** Reads the status line and headers (skipping interim 1xx responses); the body is left unread. */
    public HttpResponse readHead() throws IOException {
        while (true) {
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("malformed HTTP response " + quote(statusLine));
            }
            int status = parseStatus(parts[1], statusLine);
            Map<String, List<String>> headers = headers();
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            return new HttpResponse(status, parts.length > 2 ? parts[2] : "", headers, new byte[0]);
        }
    }

    /**
     * The body of a response whose head was read with {@link #readHead}, as a stream that yields
     * data as it arrives (chunks decoded), ending where the framing says.
     */
    public InputStream bodyStream(HttpResponse head) throws IOException {
        if (head.status() == 204 || head.status() == 304) {
            return InputStream.nullInputStream();
        }
        if (head.header("Transfer-Encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedBody();
        }
        String length = head.header("Content-Length");
        if (!length.isEmpty()) {
            return new java.io.ByteArrayInputStream(exactly(Long.parseLong(length.strip())));
        }
        return in;
    }

    /** Reads the next chunk-size line; 0 means the last chunk (its trailer is consumed too). */
    long chunkSize() throws IOException {
        String sizeLine = line();
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
        long size;
        try {
            size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("invalid chunk size " + quote(sizeLine), e);
        }
        if (size == 0) {
            while (!line().isEmpty()) {
                continue;
            }
        }
        return size;
    }

    /** Reads up to {@code max} bytes of the current chunk into {@code buffer}. */
    int chunkData(byte[] buffer, int offset, int max) throws IOException {
        int n = in.read(buffer, offset, max);
        if (n < 0) {
            throw new EOFException("unexpected EOF");
        }
        return n;
    }

    /** Consumes the CRLF that ends a chunk's data. */
    void chunkEnd() throws IOException {
        if (!line().isEmpty()) {
            throw new IOException("malformed chunked encoding");
        }
    }

    /** A JSON string literal of the text, as Go's {@code %q} shows it for printable text. */
    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static int parseStatus(String code, String statusLine) throws IOException {
        try {
            return Integer.parseInt(code);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status code in " + quote(statusLine), e);
        }
    }

    private Map<String, List<String>> headers() throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed MIME header line: " + line);
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        return headers;
    }

    private byte[] body(Map<String, List<String>> headers) throws IOException {
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        if (!encoding.isEmpty() && encoding.getLast().toLowerCase(Locale.ROOT).contains("chunked")) {
            return chunked();
        }
        List<String> length = headers.get("content-length");
        if (length != null) {
            try {
                return exactly(Long.parseLong(length.getFirst().strip()));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length " + quote(length.getFirst()), e);
            }
        }
        return in.readAllBytes();
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long size = chunkSize(); size != 0; size = chunkSize()) {
            body.write(exactly(size));
            chunkEnd();
        }
        return body.toByteArray();
    }

    private byte[] exactly(long size) throws IOException {
        if (size < 0 || size > Integer.MAX_VALUE - 16) {
            throw new IOException("body too large: " + size);
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException("unexpected EOF");
        }
        return data;
    }

    /** One line without its CRLF (or bare LF). */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("unexpected EOF");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("header line too long");
            }
            line.write(b);
        }
    }

    /**
     * A {@code Transfer-Encoding: chunked} body decoded on the fly: each read returns data of the
     * current chunk as soon as it is on the wire, so a stream of events is seen event by event.
     */
    private final class ChunkedBody extends InputStream {
        private long remaining;
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (remaining == 0 && !done) {
                remaining = chunkSize();
                done = remaining == 0;
            }
            if (done) {
                return -1;
            }
            int n = chunkData(buffer, offset, (int) Math.min(length, remaining));
            remaining -= n;
            if (remaining == 0) {
                chunkEnd();
            }
            return n;
        }
    }
}
