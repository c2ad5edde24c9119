package dev.berth.daemon.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The stored form of a network: a versioned JSON document of the store's own (not the Engine
 * API's), so the API can change without a data migration. The cluster store keeps global networks
 * in the same form.
 */
public final class NetworkCodec {
    private static final int VERSION = 1;
    private final ObjectMapper mapper = new ObjectMapper();

    public String encode(Network n) {
        ObjectNode root = mapper.createObjectNode();
        root.put("v", VERSION).put("id", n.id().value()).put("name", n.name()).put("driver", n.driver())
                .put("created", n.created().toString()).put("scope", n.scope());
        ObjectNode flags = root.putObject("flags");
        flags.put("ipv4", n.flags().enableIpv4()).put("ipv6", n.flags().enableIpv6())
                .put("internal", n.flags().internal()).put("attachable", n.flags().attachable())
                .put("ingress", n.flags().ingress()).put("configOnly", n.flags().configOnly());
        ObjectNode ipam = root.putObject("ipam");
        ipam.put("driver", n.ipam().driver());
        if (n.ipam().options() != null) {
            ipam.set("options", mapper.valueToTree(n.ipam().options()));
        }
        ArrayNode pools = ipam.putArray("pools");
        n.ipam().pools().forEach(p -> pools.add(encodePool(p)));
        root.set("options", mapper.valueToTree(n.options()));
        root.set("labels", mapper.valueToTree(n.labels()));
        return root.toString();
    }

    public Network decode(String json) {
        try {
            JsonNode root = mapper.readTree(json);
            if (root.path("v").asInt() != VERSION) {
                throw new IllegalStateException("unknown record version " + root.path("v"));
            }
            JsonNode f = root.path("flags");
            Network.Flags flags = new Network.Flags(f.path("ipv4").asBoolean(), f.path("ipv6").asBoolean(),
                    f.path("internal").asBoolean(), f.path("attachable").asBoolean(), f.path("ingress").asBoolean(),
                    f.path("configOnly").asBoolean());
            JsonNode ipamNode = root.path("ipam");
            List<IpamPool> pools = new ArrayList<>();
            ipamNode.path("pools").forEach(p -> pools.add(decodePool(p)));
            Map<String, String> ipamOptions = ipamNode.has("options") ? strings(ipamNode.path("options")) : null;
            Network.Ipam ipam = new Network.Ipam(ipamNode.path("driver").asText(), ipamOptions, pools);
            return new Network(new NetworkId(root.path("id").asText()), root.path("name").asText(),
                    root.path("driver").asText(), Instant.parse(root.path("created").asText()),
                    root.path("scope").asText(), ipam, flags, new TreeMap<>(strings(root.path("options"))),
                    new TreeMap<>(strings(root.path("labels"))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored network is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private ObjectNode encodePool(IpamPool p) {
        ObjectNode node = mapper.createObjectNode();
        node.put("subnet", p.subnet().toString()).put("user", p.userConfigured());
        p.ipRange().ifPresent(r -> node.put("range", r.toString()));
        p.gateway().ifPresent(g -> node.put("gateway", IpAddresses.format(g)));
        ObjectNode aux = node.putObject("aux");
        p.auxAddresses().forEach((k, v) -> aux.put(k, IpAddresses.format(v)));
        return node;
    }

    private IpamPool decodePool(JsonNode p) {
        Map<String, InetAddress> aux = new LinkedHashMap<>();
        p.path("aux").properties().forEach(e -> aux.put(e.getKey(), IpAddresses.parse(e.getValue().asText())));
        return new IpamPool(IpPrefix.parse(p.path("subnet").asText()),
                Optional.ofNullable(p.get("range")).map(r -> IpPrefix.parse(r.asText())),
                Optional.ofNullable(p.get("gateway")).map(g -> IpAddresses.parse(g.asText())),
                aux, p.path("user").asBoolean());
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
