package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.UnixHttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the daemon says (network inspect: endpoints with MAC and addresses) against what the
 * kernel has: the interface with that MAC in the sandbox's namespace carries exactly those
 * addresses, every sandbox interface belongs to an endpoint, the bridge exists and has one port
 * per endpoint. Also counts duplicate addresses within a network and duplicate subnets.
 */
final class StoreKernel {

    /** The comparison: endpoints seen, distinct subnets, duplicates, and every mismatch in words. */
    record Result(int endpoints, int subnets, int duplicates, List<String> problems) {
    }

    private StoreKernel() {
    }

    /** Compares until they agree (background deletions of veths and bridges), at most 30 s. */
    static Result settle(Testbed bed, UnixHttpClient api) throws InterruptedException {
        Result result = compare(bed, api);
        for (int i = 0; i < 60 && !result.problems().isEmpty(); i++) {
            Thread.sleep(500);
            result = compare(bed, api);
        }
        return result;
    }

    static Result compare(Testbed bed, UnixHttpClient api) {
        Map<String, JsonNode> kernel = kernel(bed);
        List<String> problems = new ArrayList<>();
        Map<String, Integer> portsExpected = new HashMap<>();
        Map<String, Set<String>> sandboxMacs = new HashMap<>();
        Set<String> subnets = new HashSet<>();
        int endpoints = 0;
        int duplicates = 0;
        for (JsonNode listed : get(api, "/v1.50/networks")) {
            String driver = listed.path("Driver").asText();
            if (!driver.equals("bridge")) {
                continue;
            }
            JsonNode net = get(api, "/v1.50/networks/" + listed.path("Id").asText());
            String bridge = net.path("Options").path("com.docker.network.bridge.name")
                    .asText(Bridges.device(net.path("Id").asText()));
            for (JsonNode config : net.path("IPAM").path("Config")) {
                if (!subnets.add(config.path("Subnet").asText())) {
                    duplicates++;
                    problems.add("subnet " + config.path("Subnet").asText() + " twice");
                }
            }
            if (!kernel.containsKey("host:" + bridge)) {
                problems.add("no bridge " + bridge + " for network " + net.path("Name").asText());
            }
            portsExpected.put(bridge, net.path("Containers").size());
            Set<String> seen = new HashSet<>();
            for (var entry : net.path("Containers").properties()) {
                endpoints++;
                JsonNode ep = entry.getValue();
                String sandbox = entry.getKey().substring(0, 12);
                String mac = ep.path("MacAddress").asText();
                sandboxMacs.computeIfAbsent(sandbox, k -> new HashSet<>()).add(mac);
                Set<String> want = new HashSet<>();
                for (String key : List.of("IPv4Address", "IPv6Address")) {
                    String address = ep.path(key).asText("");
                    if (!address.isEmpty()) {
                        want.add(address);
                        if (!seen.add(address.replaceAll("/.*", ""))) {
                            duplicates++;
                            problems.add("address " + address + " twice on " + net.path("Name").asText());
                        }
                    }
                }
                JsonNode link = kernel.get(sandbox + ":" + mac);
                if (link == null) {
                    problems.add("no interface with MAC " + mac + " in sandbox " + sandbox);
                    continue;
                }
                Set<String> have = new HashSet<>();
                for (JsonNode a : link.path("addr_info")) {
                    if (!a.path("scope").asText().equals("link")) {
                        have.add(a.path("local").asText() + "/" + a.path("prefixlen").asText());
                    }
                }
                if (!have.equals(want)) {
                    problems.add("sandbox " + sandbox + " " + link.path("ifname").asText() + ": store " + want
                            + ", kernel " + have);
                }
            }
        }
        Map<String, Integer> ports = new HashMap<>();
        for (var e : kernel.entrySet()) {
            if (e.getKey().startsWith("host:") && e.getValue().has("master")) {
                ports.merge(e.getValue().path("master").asText(), 1, Integer::sum);
            } else if (!e.getKey().startsWith("host:") && e.getKey().contains(":")
                    && !e.getValue().path("ifname").asText().equals("lo")) {
                String sandbox = e.getKey().substring(0, e.getKey().indexOf(':'));
                if (!sandboxMacs.getOrDefault(sandbox, Set.of()).contains(e.getValue().path("address").asText())
                        && e.getValue().path("addr_info").size() > 0) {
                    problems.add("sandbox " + sandbox + " has " + e.getValue().path("ifname").asText()
                            + " with addresses but no endpoint");
                }
            }
        }
        portsExpected.forEach((bridge, count) -> {
            if (ports.getOrDefault(bridge, 0) != count.intValue()) {
                problems.add("bridge " + bridge + ": " + ports.getOrDefault(bridge, 0) + " ports, " + count
                        + " endpoints");
            }
        });
        return new Result(endpoints, subnets.size(), duplicates, problems);
    }

    /** {@code host:<ifname>} for host links; {@code <sandbox>:<mac>} for sandbox links (one process for all). */
    private static Map<String, JsonNode> kernel(Testbed bed) {
        String script = "echo '== host'; ip -j addr; for f in " + bed.dir().resolve("exec/netns")
                + "/*; do [ -e \"$f\" ] || continue; echo \"== ${f##*/}\"; nsenter --net=\"$f\" ip -j addr; done";
        String out = bed.run(List.of("nsenter", "--net=/run/netns/" + bed.host().hostNs(), "sh", "-c", script))
                .assertSuccess().stdout();
        Map<String, JsonNode> links = new HashMap<>();
        String ns = null;
        for (String line : out.lines().toList()) {
            if (line.startsWith("== ")) {
                ns = line.substring(3);
            } else if (!line.isBlank()) {
                for (JsonNode link : Bridges.parse(line)) {
                    links.put(ns.equals("host") ? "host:" + link.path("ifname").asText()
                            : ns + ":" + link.path("address").asText(), link);
                }
            }
        }
        return links;
    }

    private static JsonNode get(UnixHttpClient api, String path) {
        HttpReply reply = api.send("GET", path);
        if (reply.status() != 200) {
            throw new AssertionError(path + ": " + reply);
        }
        return reply.json();
    }
}
