package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Status codes, bodies and texts of the network write routes, over raw HTTP. */
class NetworkWriteHttpTest extends DaemonOverHttp {
    private static final String JSON = "application/json";

    private RawHttp.Response create(String body) throws Exception {
        return http.send("POST", "/v1.50/networks/create", JSON, body);
    }

    private static String message(RawHttp.Response response) throws Exception {
        return new ObjectMapper().readTree(response.body()).get("message").asText();
    }

    private void assertError(int status, String message, RawHttp.Response response) throws Exception {
        assertEquals(status, response.status(), response.body());
        assertEquals(Optional.of(JSON), response.header("Content-Type"));
        assertEquals(message, message(response));
    }

    @Test
    void createAnswers201WithIdAndWarning() throws Exception {
        RawHttp.Response r = create("{\"Name\":\"n1\",\"EnableIPv6\":true,\"IPAM\":{\"Config\":[{\"Subnet\":\"fd00:1::1/80\","
                + "\"Gateway\":\"fd00:1::1\"}]}}\n");
        assertEquals(201, r.status(), r.body());
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertEquals(List.of("Id", "Warning"), NetworkJsonTest.keys(body));
        assertTrue(body.get("Id").asText().matches("[0-9a-f]{64}"));
        assertEquals("subnet fd00:1::1/80 has host bits set; Berth uses fd00:1::/80", body.get("Warning").asText());
        RawHttp.Response plain = create("{\"Name\":\"n2\"}");
        assertEquals("", new ObjectMapper().readTree(plain.body()).get("Warning").asText());
    }

    @Test
    void enableIpv4IsIgnoredBefore148() throws Exception {
        assertEquals(201, http.send("POST", "/v1.47/networks/create", JSON, "{\"Name\":\"old\",\"EnableIPv4\":false}")
                .status());
        assertTrue(daemon.networks.inspect("old").flags().enableIpv4());
        assertError(400, "IPv4 or IPv6 must be enabled", create("{\"Name\":\"new\",\"EnableIPv4\":false}"));
    }

    @Test
    void badBodiesAreRejectedBeforeAnythingHappens() throws Exception {
        int before = daemon.networks.list(dev.berth.core.service.network.NetworkFilter.none()).size();
        RawHttp.Response wrongType = http.send("POST", "/v1.50/networks/create", "text/plain", "{\"Name\":\"x\"}");
        assertError(400, "unsupported Content-Type header (text/plain): must be 'application/json'", wrongType);
        RawHttp.Response malformed = create("{\"Name\":");
        assertEquals(400, malformed.status());
        assertTrue(message(malformed).startsWith("invalid JSON: "), malformed.body());
        assertError(400, "invalid name: name is empty", create("{\"Name\":\"  \"}"));
        assertError(400, "invalid name: name is empty", http.send("POST", "/v1.50/networks/create", null, ""));
        assertError(403, "operation is not permitted on predefined host network ", create("{\"Name\":\"host\"}"));
        assertError(404, "plugin \"weave\" not found", create("{\"Name\":\"x\",\"Driver\":\"weave\"}"));
        assertError(403, NetworkPlannerText.SWARM, create("{\"Name\":\"x\",\"Driver\":\"overlay\"}"));
        assertError(400, "invalid network config:\ninvalid gateway 10.1.0.1: parent subnet 10.0.0.0/24 doesn't contain "
                + "this address", create("{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.0.0.0/24\","
                + "\"Gateway\":\"10.1.0.1\"}]}}"));
        assertError(403, "Pool overlaps with other one on this address space",
                create("{\"Name\":\"x\",\"IPAM\":{\"Config\":[{\"Subnet\":\"172.16.0.0/12\"}]}}"));
        assertError(400, "invalid value \"sometimes\" for option com.docker.network.bridge.enable_icc: it must be a "
                + "boolean (true or false)",
                create("{\"Name\":\"x\",\"Options\":{\"com.docker.network.bridge.enable_icc\":\"sometimes\"}}"));
        assertEquals(before, daemon.networks.list(dev.berth.core.service.network.NetworkFilter.none()).size());
    }

    @Test
    void duplicateNameIsAConflict() throws Exception {
        assertEquals(201, create("{\"Name\":\"dup\"}").status());
        assertError(409, "network with name dup already exists", create("{\"Name\":\"dup\"}"));
    }

    @Test
    void deleteAnswers204AndMobysErrors() throws Exception {
        assertEquals(201, create("{\"Name\":\"gone\"}").status());
        RawHttp.Response deleted = http.send("DELETE", "/v1.50/networks/gone", null, null);
        assertEquals(204, deleted.status());
        assertEquals("", deleted.body());
        assertError(404, "network gone not found", http.send("DELETE", "/v1.50/networks/gone", null, null));
        assertError(403, "none is a pre-defined network and cannot be removed",
                http.send("DELETE", "/v1.50/networks/none", null, null));
    }

    @Test
    void pruneReportsNamesOrNull() throws Exception {
        RawHttp.Response empty = http.send("POST", "/v1.50/networks/prune", null, "");
        assertEquals(200, empty.status());
        assertEquals("{\"NetworksDeleted\":null}\n", empty.body());
        assertEquals(201, create("{\"Name\":\"p1\"}").status());
        RawHttp.Response one = http.send("POST", "/v1.50/networks/prune", null, "");
        assertEquals("{\"NetworksDeleted\":[\"p1\"]}\n", one.body());
        assertError(400, "more than one until filter specified", http.send("POST",
                "/v1.50/networks/prune?filters=%7B%22until%22%3A%7B%221h%22%3Atrue%2C%222h%22%3Atrue%7D%7D", null, ""));
    }

    /** The swarm-only text, as moby words it. */
    private static final class NetworkPlannerText {
        static final String SWARM = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm "
                + "join\" to connect this node to swarm and try again.";
    }
}
