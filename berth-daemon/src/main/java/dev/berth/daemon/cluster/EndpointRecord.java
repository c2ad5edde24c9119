package dev.berth.daemon.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.RemoteEndpoint;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The JSON of an endpoint in the cluster store (version 1): what another host needs to reach and name it. */
final class EndpointRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EndpointRecord() {
    }

    static byte[] encode(String host, InetAddress vtep, Sandbox sandbox, Endpoint endpoint) {
        ObjectNode root = JSON.createObjectNode();
        root.put("v", 1).put("host", host).put("vtep", IpAddresses.format(vtep))
                .put("network", endpoint.networkId().value()).put("endpoint", endpoint.id().value())
                .put("sandbox", sandbox.id().value()).put("name", sandbox.name()).put("mac", endpoint.mac());
        if (endpoint.ipv4() != null) {
            root.put("ipv4", endpoint.ipv4().toString());
        }
        if (endpoint.ipv6() != null) {
            root.put("ipv6", endpoint.ipv6().toString());
        }
        ArrayNode aliases = root.putArray("aliases");
        endpoint.aliases().forEach(aliases::add);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes a value; {@link IllegalArgumentException} naming what is wrong when it is not one of ours. */
    static RemoteEndpoint decode(byte[] value) {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || root.path("v").asInt() != 1) {
            throw new IllegalArgumentException("not an endpoint record of version 1");
        }
        List<String> aliases = new ArrayList<>();
        root.path("aliases").forEach(a -> aliases.add(a.asText()));
        String mac = text(root, "mac");
        if (!mac.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
            throw new IllegalArgumentException("bad MAC address " + mac);
        }
        try {
            return new RemoteEndpoint(new NetworkId(text(root, "network")), new EndpointId(text(root, "endpoint")),
                    new SandboxId(text(root, "sandbox")), text(root, "name"), mac, prefix(root, "ipv4"),
                    prefix(root, "ipv6"), aliases, text(root, "host"), IpAddresses.parse(text(root, "vtep")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new IllegalArgumentException("no " + field);
        }
        return node.asText();
    }

    private static IpPrefix prefix(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : IpPrefix.parse(node.asText());
    }
}
