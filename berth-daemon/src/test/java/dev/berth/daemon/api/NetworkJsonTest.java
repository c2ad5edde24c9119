package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON shapes compared with what Docker itself printed ({@code inspect-bridge.default.json}). */
class NetworkJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void bridgeInspectMatchesDockerKeyOrderAndValues() throws IOException {
        JsonNode docker = docker();
        JsonNode ours;
        try (TestDaemon daemon = new TestDaemon(directory)) {
            ours = mapper.readTree(daemon.http().get("/v1.50/networks/bridge").body());
        }
        List<String> expected = keys(docker);
        expected.add(expected.indexOf("EnableIPv6"), "EnableIPv4");
        assertEquals(expected, keys(ours));
        assertEquals(keys(docker.get("IPAM")), keys(ours.get("IPAM")));
        for (String same : List.of("Name", "Scope", "Driver", "EnableIPv6", "IPAM", "Internal", "Attachable",
                "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels")) {
            assertEquals(docker.get(same), ours.get(same), same);
        }
        assertTrue(ours.get("EnableIPv4").asBoolean());
        assertTrue(ours.get("Id").asText().matches("[0-9a-f]{64}"));
        assertEquals("2026-11-28T01:03:27.581170769Z", ours.get("Created").asText());
    }

    @Test
    void hostAndNullNetworksShowNullIpamConfig() {
        for (String driver : List.of("host", "null")) {
            Network network = network(driver, List.of());
            assertEquals("{\"Driver\":\"default\",\"Options\":null,\"Config\":null}",
                    json(NetworkMapper.toResource(network, ApiVersion.MAX).ipam()));
        }
        assertEquals("{\"Driver\":\"default\",\"Options\":null,\"Config\":[]}",
                json(NetworkMapper.toResource(network("bridge", List.of()), ApiVersion.MAX).ipam()));
    }

    @Test
    void poolsShowIpv4FirstAndOmitEmptyFields() {
        IpamPool v6 = IpamPool.of(IpPrefix.parse("fd00:1::/64"), IpAddresses.parse("fd00:1::1"));
        IpamPool v4 = new IpamPool(IpPrefix.parse("10.10.0.0/24"), Optional.of(IpPrefix.parse("10.10.0.128/25")),
                Optional.of(IpAddresses.parse("10.10.0.1")),
                Map.of("z", IpAddresses.parse("10.10.0.6"), "a", IpAddresses.parse("10.10.0.5")), true);
        IpamPool bare = new IpamPool(IpPrefix.parse("10.20.0.0/16"), Optional.empty(), Optional.empty(), Map.of(),
                false);
        String ipam = json(NetworkMapper.toResource(network("bridge", List.of(v6, v4, bare)), ApiVersion.MAX).ipam());
        assertEquals("{\"Driver\":\"default\",\"Options\":null,\"Config\":["
                + "{\"Subnet\":\"10.10.0.0/24\",\"IPRange\":\"10.10.0.128/25\",\"Gateway\":\"10.10.0.1\","
                + "\"AuxiliaryAddresses\":{\"a\":\"10.10.0.5\",\"z\":\"10.10.0.6\"}},"
                + "{\"Subnet\":\"10.20.0.0/16\"},"
                + "{\"Subnet\":\"fd00:1::/64\",\"Gateway\":\"fd00:1::1\"}]}", ipam);
    }

    @Test
    void createdIsRfc3339NanoInUtcLikeGo() {
        assertEquals("2026-11-28T01:03:27.581170769Z",
                NetworkMapper.rfc3339Nano(Instant.parse("2026-11-28T01:03:27.581170769Z")));
        assertEquals("2026-11-28T01:03:27.5Z", NetworkMapper.rfc3339Nano(Instant.parse("2026-11-28T01:03:27.500Z")));
        assertEquals("2026-11-28T01:03:27Z", NetworkMapper.rfc3339Nano(Instant.parse("2026-11-28T01:03:27Z")));
    }

    @Test
    void enableIpv4IsLeftOutBeforeApi148() {
        Network network = network("bridge", List.of());
        assertTrue(json(NetworkMapper.toResource(network, new ApiVersion("1.48"))).contains("\"EnableIPv4\":true"));
        assertTrue(!json(NetworkMapper.toResource(network, new ApiVersion("1.47"))).contains("EnableIPv4"));
    }

    private String json(Object value) {
        return new String(new JsonCodec().encode(value), java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    private static Network network(String driver, List<IpamPool> pools) {
        return new Network(new NetworkId("a".repeat(64)), "n-" + driver, driver, Instant.EPOCH, Network.SCOPE_LOCAL,
                new Network.Ipam("default", null, pools), Network.Flags.ipv4Only(), new TreeMap<>(), new TreeMap<>());
    }

    private JsonNode docker() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("inspect-bridge.default.json")) {
            return mapper.readTree(in).get(0);
        }
    }

    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
