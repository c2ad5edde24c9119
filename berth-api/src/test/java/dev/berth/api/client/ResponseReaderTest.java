package dev.berth.api.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

    private static HttpResponse read(String wire, boolean head) throws IOException {
        return new ResponseReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1))).read(head);
    }

    @Test
    void chunkedBody() throws IOException {
        HttpResponse r = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nApi-Version: 1.50\r\n\r\n"
                + "5;ext=1\r\n[{\"a\"\r\n3\r\n:1}\r\n1\r\n]\r\n0\r\nTrailer: x\r\n\r\n", false);
        assertEquals(200, r.status());
        assertEquals("[{\"a\":1}]", r.text());
        assertEquals("1.50", r.header("API-VERSION"));
    }

    @Test
    void contentLengthHeadAndEof() throws IOException {
        assertEquals("ab", read("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nabEXTRA", false).text());
        assertEquals("", read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", true).text());
        assertEquals("rest", read("HTTP/1.0 200 OK\n\nrest", false).text());
        assertEquals("ok", read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false).text());
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", false));
    }

    @Test
    void chunkedBodyStreamsLineByLine() throws IOException {
        ResponseReader reader = new ResponseReader(new ByteArrayInputStream(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"a\"\r\n3\r\n:1}\r\n4\r\n\n{}\n\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        HttpResponse head = reader.readHead();
        try (ResponseStream stream = new ResponseStream(head, reader.bodyStream(head), () -> { })) {
            assertEquals("{\"a\":1}", stream.readLine());
            assertEquals("{}", stream.readLine());
            assertEquals(null, stream.readLine());
        }
    }
}
