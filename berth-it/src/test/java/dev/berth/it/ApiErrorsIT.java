package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import dev.berth.it.fixture.UnixHttpClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** The Engine API on the raw socket: exact statuses, headers and bodies, errors included. */
@ExtendWith(TestbedExtension.class)
class ApiErrorsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request that must fail with exactly this status and message. */
    private record BadRequest(String method, String target, int status, String message) {
    }

    private static final List<BadRequest> BAD_REQUESTS = List.of(
            new BadRequest("GET", "/v1.51/networks", 400,
                    "client version 1.51 is too new. Maximum supported API version is 1.50"),
            new BadRequest("GET", "/v1.23/networks", 400, "client version 1.23 is too old. Minimum supported API"
                    + " version is 1.24, please upgrade your client to a newer version"),
            new BadRequest("GET", "/nosuch", 404, "page not found"),
            new BadRequest("GET", "/v1.50/nosuch/route", 404, "page not found"),
            new BadRequest("PUT", "/v1.50/networks", 404, "page not found"),
            new BadRequest("GET", "/networks?filters=" + encode("{bad"), 400, "invalid filter"),
            new BadRequest("GET", "/v1.50/networks?filters=" + encode("{\"foo\":{\"x\":true}}"), 400,
                    "invalid filter 'foo'"),
            new BadRequest("GET", "/v1.50/networks?filters=" + encode("{\"type\":{\"bogus\":true}}"), 400,
                    "invalid filter: 'type'='bogus'"),
            new BadRequest("GET", "/networks/foo", 404, "network foo not found"),
            new BadRequest("GET", "/v1.50/networks?filters=%zz", 400, "invalid URL escape \"%zz\""),
            new BadRequest("POST", "/v1.50/networks/prune?filters=%7B%", 400, "invalid URL escape \"%\""),
            new BadRequest("GET", "/v1.50/networks/foo", 404, "network foo not found"));

    @Test
    void everyBadRequestGetsTheExactJsonErrorAndChangesNothing(Testbed bed) {
        bed.daemon().start();
        List<String> linksBefore = linkNames(bed);
        UnixHttpClient api = bed.api();
        List<Executable> checks = new ArrayList<>();
        for (BadRequest bad : BAD_REQUESTS) {
            HttpReply reply = api.send(bad.method(), bad.target());
            checks.add(() -> assertError(bad, reply));
        }
        assertAll(checks);
        assertEquals(200, api.send("HEAD", "/_ping").status(), "daemon stopped answering");
        assertEquals(3, api.send("GET", "/v1.50/networks").json().size());
        assertEquals(linksBefore, linkNames(bed));
    }

    @Test
    void pingAnswersHeadAndGet(Testbed bed) {
        bed.daemon().start();
        HttpReply head = bed.api().send("HEAD", "/_ping");
        assertEquals(200, head.status(), head::toString);
        assertEquals(Optional.of("1.50"), head.header("Api-Version"));
        assertEquals(0, head.body().length);
        HttpReply get = bed.api().send("GET", "/_ping");
        assertEquals(200, get.status(), get::toString);
        assertEquals(Optional.of("1.50"), get.header("Api-Version"));
        assertEquals("OK", get.text());
        assertEquals("OK", bed.api().send("GET", "/v1.50/_ping").text());
    }

    @Test
    void versionedAndUnversionedPathsBothWork(Testbed bed) {
        bed.daemon().start();
        UnixHttpClient api = bed.api();
        for (String prefix : List.of("", "/v1.24", "/v1.40", "/v1.50")) {
            HttpReply networks = api.send("GET", prefix + "/networks");
            assertEquals(200, networks.status(), () -> prefix + ": " + networks);
            assertEquals(3, networks.json().size(), networks::toString);
            HttpReply version = api.send("GET", prefix + "/version");
            assertEquals(200, version.status(), () -> prefix + ": " + version);
            assertEquals("1.50", version.json().path("ApiVersion").asText(), version::toString);
            assertEquals(200, api.send("GET", prefix + "/info").status(), prefix + "/info");
        }
    }

    @Test
    void listFiltersSelectNetworks(Testbed bed) {
        bed.daemon().start();
        UnixHttpClient api = bed.api();
        Map<String, String> ids = NetworkIds.fromApi(api);
        // name and id filters are regexp searches (moby), so the id term must not occur inside another id.
        String hostShortId = ids.get("host").substring(0, 12);
        assertEquals(List.of("bridge"), filtered(api, "{\"driver\":{\"bridge\":true}}"));
        assertEquals(List.of("none"), filtered(api, "{\"driver\":[\"null\"]}"));
        assertEquals(List.of("host"), filtered(api, "{\"name\":{\"ho\":true}}"));
        assertEquals(List.of("host"), filtered(api, "{\"id\":{\"" + hostShortId + "\":true}}"));
        assertEquals(List.of("host"), filtered(api, "{\"id\":{\"^" + hostShortId + "\":true}}"));
        assertEquals(List.of("bridge", "host", "none"), filtered(api, "{\"scope\":{\"local\":true}}"));
        assertEquals(List.of("bridge", "host", "none"), filtered(api, "{\"type\":{\"builtin\":true}}"));
        assertEquals(List.of(), filtered(api, "{\"type\":{\"custom\":true}}"));
        assertEquals(List.of(), filtered(api, "{\"label\":{\"no.such.label\":true}}"));
        assertEquals(List.of("bridge", "none"), filtered(api, "{\"driver\":{\"bridge\":true,\"null\":true}}"));
        assertEquals(List.of("bridge", "host", "none"), filtered(api, "{}"));
    }

    @Test
    void inspectResolvesFullIdNameAndUniquePrefix(Testbed bed) {
        bed.daemon().start();
        UnixHttpClient api = bed.api();
        Map<String, String> ids = NetworkIds.fromApi(api);
        String id = ids.get("none");
        for (String term : List.of(id, "none", NetworkIds.uniquePrefix(id, ids.values()))) {
            HttpReply reply = api.send("GET", "/v1.50/networks/" + term);
            assertEquals(200, reply.status(), reply::toString);
            assertEquals("none", reply.json().path("Name").asText());
            assertEquals(id, reply.json().path("Id").asText());
            assertEquals("null", reply.json().path("Driver").asText());
        }
    }

    private static void assertError(BadRequest bad, HttpReply reply) throws Exception {
        String what = bad.method() + " " + bad.target() + " -> " + reply;
        assertEquals(bad.status(), reply.status(), what);
        assertEquals(Optional.of("application/json"), reply.header("Content-Type"), what);
        JsonNode expected = JSON.createObjectNode().put("message", bad.message());
        assertEquals(expected, JSON.readTree(reply.body()), what);
    }

    private static List<String> filtered(UnixHttpClient api, String filters) {
        HttpReply reply = api.send("GET", "/v1.50/networks?filters=" + encode(filters));
        assertEquals(200, reply.status(), () -> filters + ": " + reply);
        List<String> names = new ArrayList<>();
        reply.json().forEach(n -> names.add(n.path("Name").asText()));
        return names.stream().sorted().toList();
    }

    private static List<String> linkNames(Testbed bed) {
        return bed.host().hostLinks().stream().map(LinkState::name).sorted().toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
