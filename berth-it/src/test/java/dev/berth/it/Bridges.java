package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.DockerCli;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.UnixHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * User-defined bridge networks as the tests see them: the device named after the id, the
 * subnets {@code docker network inspect} reports, and the bridge devices of the host namespace.
 */
final class Bridges {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

    private Bridges() {
    }

    /** Docker's device name for a user network without {@code com.docker.network.bridge.name}. */
    static String device(String networkId) {
        return "br-" + networkId.substring(0, 12);
    }

    /** {@code docker network create args...}; returns the full id it printed. */
    static String create(DockerCli docker, String... args) {
        String[] argv = new String[args.length + 2];
        argv[0] = "network";
        argv[1] = "create";
        System.arraycopy(args, 0, argv, 2, args.length);
        CommandResult result = docker.ok(argv);
        String id = result.stdout().strip();
        if (!FULL_ID.matcher(id).matches()) {
            throw new AssertionError("create did not print a full id: " + result.describe());
        }
        return id;
    }

    /** {@code docker network inspect name}, parsed: the one network object. */
    /** The default bridge's device in the test's host namespace. */
    static LinkState docker0(Testbed bed) {
        return bed.host().hostLink("docker0").orElseThrow(() -> new AssertionError("no docker0"));
    }

    static JsonNode inspect(DockerCli docker, String name) {
        return parse(docker.ok("network", "inspect", name).stdout()).get(0);
    }

    /** The subnet of one family from an inspected network, if any. */
    static Optional<String> subnet(JsonNode network, boolean v4) {
        for (JsonNode config : network.path("IPAM").path("Config")) {
            String subnet = config.path("Subnet").asText("");
            if (!subnet.isEmpty() && subnet.contains(":") != v4) {
                return Optional.of(subnet);
            }
        }
        return Optional.empty();
    }

    /** The IPv4 subnet of a network, failing if it has none. */
    static String subnetV4(DockerCli docker, String name) {
        JsonNode network = inspect(docker, name);
        return subnet(network, true).orElseThrow(() -> new AssertionError("no IPv4 subnet: " + network));
    }

    /** A link of the host namespace that must exist. */
    static LinkState link(HostFixture host, String name) {
        return host.hostLink(name).orElseThrow(() -> new AssertionError("no link " + name + " in " + host.hostNs()
                + "; links: " + host.hostLinks().stream().map(LinkState::name).toList()));
    }

    /** True when {@code ip -n host link show name} fails, i.e. the device is gone. */
    static boolean absent(HostFixture host, String name) {
        return host.tryIpHost("link", "show", name).exitCode() != 0;
    }

    /** Bridge devices named {@code br-*} in the host namespace, with their state. */
    static Map<String, LinkState> userBridges(HostFixture host) {
        Map<String, LinkState> bridges = new TreeMap<>();
        for (LinkState link : host.hostLinks()) {
            if (link.name().startsWith("br-")) {
                bridges.put(link.name(), link);
            }
        }
        return bridges;
    }

    /** {@code POST /networks/create} with a JSON body. */
    static HttpReply createRaw(UnixHttpClient api, String json) {
        return api.send("POST", "/v1.50/networks/create", "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** The IPv6 addresses of a link as {@code ip -j addr} reports them, with their flags. */
    static List<JsonNode> ipv6AddressInfo(HostFixture host, String device) {
        JsonNode links = host.ipHostJson("-6", "addr", "show", "dev", device);
        List<JsonNode> out = new ArrayList<>();
        links.path(0).path("addr_info").forEach(out::add);
        return out;
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** The /48 Docker derives from {@code <data-root>/engine-id}: fd + low 40 bits of sha256's first 8 bytes. */
    static byte[] ula48(Testbed bed) throws Exception {
        String engineId = Files.readString(bed.dir().resolve("data/engine-id"), StandardCharsets.UTF_8).trim();
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(engineId.getBytes(StandardCharsets.UTF_8));
        byte[] prefix = new byte[16];
        prefix[0] = (byte) 0xfd;
        System.arraycopy(hash, 3, prefix, 1, 5);
        return prefix;
    }

    static byte[] withSubnetId(byte[] ula48, int subnetId) {
        byte[] out = ula48.clone();
        out[6] = (byte) (subnetId >> 8);
        out[7] = (byte) subnetId;
        return out;
    }

    static byte[] prefixBytes(String cidr, int expectedLength) throws Exception {
        String[] parts = cidr.split("/");
        assertEquals(expectedLength, Integer.parseInt(parts[1]), cidr);
        return Arrays.copyOf(InetAddress.getByName(parts[0]).getAddress(), 16);
    }
}
