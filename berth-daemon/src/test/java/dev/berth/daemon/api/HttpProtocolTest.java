package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Status codes, headers and exact error texts, checked byte for byte over the Unix socket. */
class HttpProtocolTest extends DaemonOverHttp {
    @Test
    void headPingCarriesNegotiationHeadersAndNoBody() throws IOException {
        RawHttp.Response r = http.send("HEAD", "/_ping", null, null);
        assertEquals(200, r.status());
        assertEquals("1.50", r.header("Api-Version").orElseThrow());
        assertEquals("linux", r.header("Ostype").orElseThrow());
        assertEquals("false", r.header("Docker-Experimental").orElseThrow());
        assertEquals("inactive", r.header("Swarm").orElseThrow());
        assertEquals("no-cache, no-store, must-revalidate", r.header("Cache-Control").orElseThrow());
        assertEquals("no-cache", r.header("Pragma").orElseThrow());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type").orElseThrow());
        assertEquals("0", r.header("Content-Length").orElseThrow());
        assertEquals("", r.body());
    }

    @Test
    void getPingAnswersOk() throws IOException {
        RawHttp.Response r = http.get("/_ping");
        assertEquals(200, r.status());
        assertEquals("OK", r.body());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type").orElseThrow());
        assertEquals("Docker/0.1.0-test (linux)", r.header("Server").orElseThrow());
        assertEquals(200, http.get("/v1.50/_ping").status());
    }

    @Test
    void unknownRouteIsPageNotFound() throws IOException {
        assertError(http.get("/v1.50/nosuch"), 404, "page not found");
        assertError(http.get("/nosuch"), 404, "page not found");
        assertError(http.send("DELETE", "/v1.50/version", null, null), 404, "page not found");
        assertError(http.get("/networks/"), 404, "page not found");
    }

    @Test
    void errorsCarryTheCommonHeaders() throws IOException {
        RawHttp.Response r = http.get("/nosuch");
        assertEquals("1.50", r.header("Api-Version").orElseThrow());
        assertEquals("linux", r.header("Ostype").orElseThrow());
    }

    @Test
    void versionTooNewOrTooOldIsRejected() throws IOException {
        assertError(http.get("/v1.51/networks"), 400,
                "client version 1.51 is too new. Maximum supported API version is 1.50");
        assertError(http.get("/v1.23/networks"), 400, "client version 1.23 is too old. Minimum supported API "
                + "version is 1.24, please upgrade your client to a newer version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/networks", "/v1.24/networks", "/v1.44/networks", "/v1.50/networks"})
    void versionedAndUnversionedPathsAnswer(String path) throws IOException {
        RawHttp.Response r = http.get(path);
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("Content-Type").orElseThrow());
        assertTrue(r.body().startsWith("[{\"Name\":\"bridge\""), r.body());
        assertTrue(r.body().endsWith("]\n"));
    }

    @Test
    void enableIpv4OnlyFromApi148() throws IOException {
        assertTrue(http.get("/v1.48/networks/bridge").body().contains("\"EnableIPv4\":true"));
        assertFalse(http.get("/v1.47/networks/bridge").body().contains("EnableIPv4"));
        assertTrue(http.get("/networks/bridge").body().contains("\"EnableIPv4\":true,\"EnableIPv6\":false"));
    }

    @Test
    void listEntriesHaveEmptyContainers() throws IOException {
        String body = http.get("/v1.50/networks").body();
        assertEquals(3, body.split("\"Containers\":\\{}", -1).length - 1, body);
    }

    @Test
    void filtersInModernAndLegacyForm() throws IOException {
        assertEquals(1, names(http.get("/v1.50/networks?filters=" + query("{\"driver\":{\"bridge\":true}}"))));
        assertEquals(1, names(http.get("/v1.50/networks?filters=" + query("{\"name\":[\"host\"]}"))));
        assertEquals(2, names(http.get("/v1.50/networks?filters=" + query("{\"name\":{\"host\":true,\"none\":true}}"))));
        assertEquals(0, names(http.get("/v1.50/networks?filters=" + query("{\"type\":{\"custom\":true}}"))));
        assertEquals(3, names(http.get("/v1.50/networks?filters=")));
    }

    @Test
    void badFilterJsonIsInvalidFilter() throws IOException {
        assertError(http.get("/v1.50/networks?filters=" + query("{nope")), 400, "invalid filter");
        assertError(http.get("/v1.50/networks?filters=" + query("[\"driver\"]")), 400, "invalid filter");
        assertError(http.get("/v1.50/networks?filters=" + query("{\"driver\":\"bridge\"}")), 400, "invalid filter");
    }

    @Test
    void unknownFilterKeyIsNamed() throws IOException {
        assertError(http.get("/v1.50/networks?filters=" + query("{\"color\":{\"red\":true}}")), 400,
                "invalid filter 'color'");
    }

    @Test
    void unknownNetworkIsNotFound() throws IOException {
        assertError(http.get("/v1.50/networks/nosuch"), 404, "network nosuch not found");
        assertError(http.get("/v1.50/networks/a/b"), 404, "network a/b not found");
    }

    @Test
    void inspectByNameAndIdPrefix() throws IOException {
        String id = daemon.networks.inspect("host").id().value();
        assertTrue(http.get("/v1.50/networks/" + id).body().contains("\"Name\":\"host\""));
        assertTrue(http.get("/v1.50/networks/" + id.substring(0, 5)).body().contains("\"Name\":\"host\""));
        assertTrue(http.get("/networks/none").body().contains("\"Driver\":\"null\""));
    }

    @Test
    void versionAndInfoAreJson() throws IOException {
        RawHttp.Response version = http.get("/v1.50/version");
        assertEquals(200, version.status());
        assertEquals("application/json", version.header("Content-Type").orElseThrow());
        assertTrue(version.body().startsWith("{\"Platform\":{\"Name\":\"Berth\"},\"Components\":[{\"Name\":\"Engine\""),
                version.body());
        RawHttp.Response info = http.get("/v1.50/info");
        assertEquals(200, info.status());
        assertTrue(info.body().contains("\"LocalNodeState\":\"inactive\""), info.body());
        assertTrue(info.body().contains("\"Network\":[\"bridge\",\"host\",\"null\"]"), info.body());
        assertTrue(info.body().contains("\"DockerRootDir\":\"/var/lib/berth\""), info.body());
        assertTrue(info.body().contains("\"SecurityOptions\":[]"), info.body());
    }

    static void assertError(RawHttp.Response r, int status, String message) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/json", r.header("Content-Type").orElseThrow(), "exact Content-Type, no charset");
        assertEquals("{\"message\":" + quote(message) + "}\n", r.body());
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int names(RawHttp.Response r) {
        assertEquals(200, r.status(), r.body());
        return r.body().split("\"Name\":", -1).length - 1;
    }
}
