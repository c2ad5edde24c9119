package dev.berth.daemon.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PublishedPort;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.model.SandboxId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stored form of sandboxes and endpoints: versioned JSON documents of the store's own. */
final class SandboxCodec {
    private static final int VERSION = 1;
    private final ObjectMapper mapper = new ObjectMapper();

    String encode(Sandbox s) {
        ObjectNode root = mapper.createObjectNode();
        root.put("v", VERSION).put("id", s.id().value()).put("name", s.name()).put("hostname", s.hostname())
                .put("netns", s.netnsPath()).put("created", s.created().toString()).put("mode", s.networkMode());
        var ports = root.putArray("ports");
        s.ports().forEach(p -> ports.addObject().put("proto", p.protocol()).put("port", p.sandboxPort())
                .put("hostIp", p.hostIp()).put("hostPort", p.hostPort()));
        return root.toString();
    }

    Sandbox decodeSandbox(String json) {
        JsonNode root = read(json);
        List<PublishedPort> ports = new ArrayList<>();
        root.path("ports").forEach(p -> ports.add(new PublishedPort(p.path("proto").asText(), p.path("port").asInt(),
                p.path("hostIp").asText(), p.path("hostPort").asInt())));
        return new Sandbox(new SandboxId(root.path("id").asText()), root.path("name").asText(),
                root.path("hostname").asText(), root.path("netns").asText(), Instant.parse(root.path("created").asText()),
                root.path("mode").asText(), ports);
    }

    /**
     * A command: argv and {@code autoRemove} (what {@code berth run} stored from the start), the
     * run state ({@code stoppedByUser}, {@code restartCount}) and, for a container, its
     * configuration under {@code container}. Records written before containers lack the last three
     * and read as a host binary's command never stopped nor restarted.
     */
    String encode(SandboxCommand c) {
        ObjectNode root = mapper.createObjectNode();
        root.put("v", VERSION).put("sandbox", c.sandbox().value()).put("autoRemove", c.autoRemove());
        c.argv().forEach(root.putArray("argv")::add);
        if (c.stoppedByUser()) {
            root.put("stoppedByUser", true);
        }
        if (c.restartCount() != 0) {
            root.put("restartCount", c.restartCount());
        }
        if (c.container() != null) {
            root.set("container", ContainerCodec.encode(mapper, c.container()));
        }
        return root.toString();
    }

    SandboxCommand decodeCommand(String json) {
        JsonNode root = read(json);
        List<String> argv = new ArrayList<>();
        root.path("argv").forEach(a -> argv.add(a.asText()));
        JsonNode container = root.get("container");
        return new SandboxCommand(new SandboxId(root.path("sandbox").asText()), argv,
                root.path("autoRemove").asBoolean(),
                container == null || container.isNull() ? null : ContainerCodec.decode(container),
                root.path("stoppedByUser").asBoolean(false), root.path("restartCount").asInt(0));
    }

    String encode(Endpoint e) {
        ObjectNode root = mapper.createObjectNode();
        root.put("v", VERSION).put("id", e.id().value()).put("network", e.networkId().value())
                .put("sandbox", e.sandboxId().value()).put("ifName", e.ifName()).put("hostIfName", e.hostIfName())
                .put("mac", e.mac());
        if (e.ipv4() != null) {
            root.put("ipv4", e.ipv4().toString());
        }
        if (e.ipv6() != null) {
            root.put("ipv6", e.ipv6().toString());
        }
        e.aliases().forEach(root.putArray("aliases")::add);
        Endpoint.Requested r = e.requested();
        ObjectNode requested = root.putObject("requested").put("ipv4", r.ipv4()).put("ipv6", r.ipv6())
                .put("mac", r.mac()).put("gwPriority", r.gwPriority());
        r.links().forEach(requested.putArray("links")::add);
        r.linkLocalIps().forEach(requested.putArray("linkLocalIps")::add);
        ObjectNode opts = requested.putObject("driverOpts");
        r.driverOpts().forEach(opts::put);
        return root.toString();
    }

    Endpoint decodeEndpoint(String json) {
        JsonNode root = read(json);
        List<String> aliases = new ArrayList<>();
        root.path("aliases").forEach(a -> aliases.add(a.asText()));
        JsonNode r = root.path("requested");
        return new Endpoint(new EndpointId(root.path("id").asText()), new NetworkId(root.path("network").asText()),
                new SandboxId(root.path("sandbox").asText()), root.path("ifName").asText(),
                root.path("hostIfName").asText(), root.path("mac").asText(), prefix(root.get("ipv4")),
                prefix(root.get("ipv6")), aliases,
                new Endpoint.Requested(r.path("ipv4").asText(), r.path("ipv6").asText(), r.path("mac").asText(),
                        r.path("gwPriority").asInt(), texts(r.path("links")), texts(r.path("linkLocalIps")),
                        strings(r.path("driverOpts"))));
    }

    /** The texts of a JSON array; empty when absent (stores written before the field existed). */
    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asText()));
        return out;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static IpPrefix prefix(JsonNode node) {
        return node == null || node.isNull() ? null : IpPrefix.parse(node.asText());
    }

    private JsonNode read(String json) {
        try {
            JsonNode root = mapper.readTree(json);
            if (root.path("v").asInt() != VERSION) {
                throw new IllegalStateException("unknown record version " + root.path("v"));
            }
            return root;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored record is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
