package dev.berth.daemon.api;

import static dev.berth.daemon.api.HttpProtocolTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input the client got wrong or made too big: a 4xx with a clear message, never a 500, and the
 * network list unchanged. (The kernel side of the same requests is checked by berth-it.)
 */
class BadInputHttpTest extends DaemonOverHttp {
    private static final String JSON = "application/json";

    @Test
    void jsonNullAndNullEntriesAreGosZeroValues() throws IOException {
        assertError(http.send("POST", "/v1.50/networks/bridge/connect", JSON, "null"), 400,
                "invalid name or ID supplied: \"\"");
        assertError(http.send("POST", "/v1.50/networks/bridge/disconnect", JSON, "null"), 400,
                "invalid name or ID supplied: \"\"");
        assertError(http.send("POST", "/v1.50/networks/create", JSON, "null"), 400, "invalid name: name is empty");
        assertError(http.send("POST", "/v1.50/networks/create", JSON, "{\"Name\":\"x\",\"IPAM\":{\"Config\":[null]}}"),
                400, "invalid network config:\ninvalid subnet : invalid CIDR block notation");
        RawHttp.Response created = http.send("POST", "/v1.50/networks/create", JSON,
                "{\"Name\":\"n1\",\"Options\":{\"a\":null},\"Labels\":{\"b\":null},\"IPAM\":{\"Options\":{\"c\":null}}}");
        assertEquals(201, created.status(), created.body());
        assertEquals("", daemon.networks.inspect("n1").labels().get("b"));
        RawHttp.Response sandbox = http.send("POST", "/v1.50/containers/create?name=c1", JSON,
                "{\"Image\":\"x\",\"HostConfig\":{\"NetworkMode\":\"n1\"},\"NetworkingConfig\":{\"EndpointsConfig\":"
                        + "{\"n1\":{\"Aliases\":[null,\"a1\"]}}}}");
        assertEquals(201, sandbox.status(), sandbox.body());
    }

    @Test
    void wrongTypesAndTrailingValuesAreInvalidJson() throws IOException {
        for (String body : List.of("{\"Name\":\"x\"} {\"Name\":\"y\"}", "{\"Name\":{}}", "{\"Labels\":[1]}",
                "{\"Internal\":\"yes\"}", "[".repeat(200), "\"text\"")) {
            RawHttp.Response r = http.send("POST", "/v1.50/networks/create", JSON, body);
            assertEquals(400, r.status(), body + " -> " + r.body());
            assertTrue(r.body().startsWith("{\"message\":\"invalid JSON: "), r.body());
        }
        assertEquals(3, daemon.networks.list(new dev.berth.core.service.network.NetworkFilter(java.util.Map.of())).size());
    }

    @Test
    void badPercentEscapesAreGosError() throws IOException {
        assertError(http.get("/v1.50/networks?filters=%zz"), 400, "invalid URL escape \"%zz\"");
        assertError(http.get("/v1.50/networks?filters=%e"), 400, "invalid URL escape \"%e\"");
        assertError(http.get("/v1.50/networks?filters=%7B%7D&x=%"), 400, "invalid URL escape \"%\"");
        assertEquals(400, http.get("/v1.50/networks?filters=%ff%fe").status());
    }

    @Test
    void bodiesPastTheLimitAre413WhateverTheirFraming() throws IOException {
        byte[] big = new byte[(int) BodyLimit.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        byte[] head = head("Content-Length: " + big.length);
        assertError(http.exchange(head, big), 413, BodyLimit.MESSAGE);
        // Chunked: no length up front; whitespace is valid JSON, so only the byte count stops it.
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            chunked.write(("100000\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(java.util.Arrays.copyOf(big, 0x100000));
            chunked.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertError(http.exchange(head("Transfer-Encoding: chunked"), chunked.toByteArray()), 413, BodyLimit.MESSAGE);
        RawHttp.Response longString = http.send("POST", "/v1.50/networks/create", JSON,
                "{\"Name\":\"" + "n".repeat(JsonCodec.MAX_STRING + 1) + "\"}");
        assertEquals(400, longString.status());
        assertTrue(longString.body().contains("exceeds the maximum allowed (131072"), longString.body());
        assertEquals(3, daemon.networks.list(new dev.berth.core.service.network.NetworkFilter(java.util.Map.of())).size());
        assertEquals(200, http.get("/_ping").status());
    }

    @Test
    void oversizedHeadersAre431() throws IOException {
        RawHttp.Response r = http.exchange(("GET /v1.50/networks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: "
                + "b".repeat(ApiServer.HEADER_BYTES) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), new byte[0]);
        assertError(r, 431, "request line or headers too large: the Engine API accepts at most 65536 bytes of them");
        assertEquals(200, http.get("/v1.50/networks?filters=" + "%20".repeat(8000)).status(), "48 KiB of query is fine");
    }

    private static byte[] head(String framing) {
        return ("POST /v1.50/networks/create HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + JSON + "\r\n"
                + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
