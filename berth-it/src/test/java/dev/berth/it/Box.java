package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A sandbox as the restore and reconcile tests see it: its name, id and namespace file, with the
 * checks that the store ({@code docker inspect}) and the kernel agree on each of its endpoints.
 */
record Box(String name, String id, Path netns) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code docker create --name name args... busybox}. */
    static Box create(Testbed bed, String name, String... args) {
        List<String> argv = new ArrayList<>(List.of("create", "--name", name));
        argv.addAll(List.of(args));
        argv.add("busybox");
        String id = bed.docker().ok(argv.toArray(String[]::new)).stdout().strip();
        Path netns = bed.dir().resolve("exec/netns").resolve(id.substring(0, 12));
        assertTrue(Files.exists(netns), "no namespace file " + netns);
        return new Box(name, id, netns);
    }

    CommandResult in(Testbed bed, String... command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns));
        argv.addAll(List.of(command));
        return bed.run(argv);
    }

    /** {@code ip -j args} inside the sandbox, parsed. */
    JsonNode ipJson(Testbed bed, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-j"));
        argv.addAll(List.of(args));
        return json(in(bed, argv.toArray(String[]::new)));
    }

    Optional<LinkState> link(Testbed bed, String ifName) {
        for (JsonNode node : ipJson(bed, "addr", "show")) {
            if (node.path("ifname").asText().equals(ifName)) {
                return Optional.of(LinkState.fromJson(node));
            }
        }
        return Optional.empty();
    }

    /** The global IPv6 addresses of {@code eth0}, with prefix length (link-local left out). */
    List<String> globalIpv6(Testbed bed) {
        return globalOnly(link(bed, "eth0").orElseThrow(() -> new AssertionError("no eth0 in " + name)).addresses(false));
    }

    /** The sandbox's IPv6 default route as {@code "<gateway> <dev>"}; exactly one must exist. */
    String ipv6DefaultRoute(Testbed bed) {
        JsonNode routes = ipJson(bed, "-6", "route", "show", "default");
        assertEquals(1, routes.size(), name + ": " + routes);
        return routes.get(0).path("gateway").asText() + " " + routes.get(0).path("dev").asText();
    }

    /** The addresses that are not link-local ({@code fe80:}). */
    static List<String> globalOnly(List<String> addresses) {
        return addresses.stream().filter(a -> !a.startsWith("fe80:")).toList();
    }

    /** The name of the host end of the sandbox's {@code ifName}, found by the peer's ifindex. */
    String hostEnd(Testbed bed, String ifName) {
        int peer = ipJson(bed, "link", "show", "dev", ifName).get(0).path("link_index").asInt();
        for (JsonNode node : bed.host().ipHostJson("link", "show")) {
            if (node.path("ifindex").asInt() == peer) {
                return node.path("ifname").asText();
            }
        }
        throw new AssertionError("no host end of " + ifName + " in " + name);
    }

    /** {@code NetworkSettings.Networks} of {@code docker inspect}, by network name. */
    Map<String, JsonNode> endpoints(Testbed bed) {
        try {
            JsonNode networks = JSON.readTree(bed.docker().ok("inspect", name).stdout()).get(0)
                    .path("NetworkSettings").path("Networks");
            Map<String, JsonNode> out = new TreeMap<>();
            networks.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Every endpoint {@code docker inspect} lists is in the kernel as it says (an interface with
     * that MAC, up, with exactly that IPv4 address), no other {@code eth*} is there, and the IPv4
     * default route goes via the gateway of one of them.
     */
    void assertKernelAgrees(Testbed bed) {
        Map<String, JsonNode> endpoints = endpoints(bed);
        List<String> macs = new ArrayList<>();
        List<String> gateways = new ArrayList<>();
        for (JsonNode e : endpoints.values()) {
            macs.add(e.path("MacAddress").asText());
            gateways.add(e.path("Gateway").asText());
            LinkState link = byMac(bed, e.path("MacAddress").asText()).orElseThrow(() -> new AssertionError(
                    name + ": no interface for endpoint " + e + "\n" + in(bed, "ip", "addr").stdout()));
            assertTrue(link.isUp(), name + ": " + link + " is down");
            assertEquals(List.of(e.path("IPAddress").asText() + "/" + e.path("IPPrefixLen").asInt()),
                    link.addresses(true), name + ": addresses of " + link.name());
        }
        for (JsonNode node : ipJson(bed, "addr", "show")) {
            LinkState l = LinkState.fromJson(node);
            assertTrue(!l.name().startsWith("eth") || macs.contains(l.mac()),
                    name + ": interface of no endpoint: " + l);
        }
        JsonNode routes = ipJson(bed, "-4", "route", "show", "default");
        if (!endpoints.isEmpty()) {
            assertEquals(1, routes.size(), name + ": default routes " + routes);
            assertTrue(gateways.contains(routes.get(0).path("gateway").asText()), name + ": default route " + routes);
        }
    }

    private Optional<LinkState> byMac(Testbed bed, String mac) {
        for (JsonNode node : ipJson(bed, "addr", "show")) {
            LinkState l = LinkState.fromJson(node);
            if (l.mac().equals(mac) && l.name().startsWith("eth")) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address {@code docker inspect} gives on a network. */
    String ip(Testbed bed, String network) {
        return endpoints(bed).get(network).path("IPAddress").asText();
    }

    boolean ping(Testbed bed, String to) {
        return in(bed, "ping", to.contains(":") ? "-6" : "-4", "-c", "1", "-W", "2", to).exitCode() == 0;
    }

    void assertPings(Testbed bed, String to) {
        assertTrue(ping(bed, to) || ping(bed, to), name + " cannot ping " + to);
    }

    static JsonNode json(CommandResult result) {
        try {
            String out = result.assertSuccess().stdout().strip();
            return JSON.readTree(out.isEmpty() ? "[]" : out);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + result.describe(), e);
        }
    }
}
