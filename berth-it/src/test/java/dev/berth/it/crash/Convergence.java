package dev.berth.it.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.it.Traffic;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that the kernel matches what the API says (the desired state in the store): for every
 * network its bridge with its gateway addresses (with the subnet's prefix length) and no other
 * global address; for every container its namespace and, per endpoint, the link with its MAC and
 * addresses (with their prefix lengths), up, the IPv4 default route and exactly one IPv6 default
 * route via an endpoint's IPv6 gateway (none without one), and traffic to the gateway (ping, v4 and
 * v6); each endpoint's addresses in its network's subnets, with IPv6 exactly on IPv6 networks; a
 * running process's {@code /etc/hosts} with the sandbox's own addresses; every published port
 * answers from the upstream namespace; a running sandbox's process is alive; and no more veths,
 * bridges or namespaces than the API accounts for.
 */
final class Convergence {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 8;

    private final Testbed bed;
    private final List<String> problems = new ArrayList<>();
    /** Bridge networks by name, as inspected. */
    private final Map<String, JsonNode> networks = new TreeMap<>();

    private Convergence(Testbed bed) {
        this.bed = bed;
    }

    /**
     * Every mismatch between the API's view and the kernel, as sentences; empty when converged.
     * Checked up to {@value #ATTEMPTS} times a second apart: the link reaper deletes detached veths
     * and removed networks' bridges off the request path, waiting for a quiet moment, so a
     * mismatch may be a step still under way.
     */
    static List<String> check(Testbed bed) {
        List<String> problems = List.of();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Convergence c = new Convergence(bed);
            c.run();
            problems = c.problems;
            if (problems.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return problems;
    }

    /** {@code docker inspect} of every object {@code docker <kind> ls -aq} lists (ps: -a). */
    static List<JsonNode> inspectAll(Testbed bed, String... listCommand) {
        List<String> ids = bed.docker().ok(listCommand).lines();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of(listCommand[0].equals("network") ? "network" : "container",
                "inspect"));
        argv.addAll(ids);
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(bed.docker().ok(argv.toArray(String[]::new)).stdout()).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run() {
        Map<String, String> bridges = new TreeMap<>(); // network name -> bridge device
        for (JsonNode n : inspectAll(bed, "network", "ls", "-q", "--no-trunc")) {
            if (n.path("Driver").asText().equals("bridge")) {
                String name = n.path("Name").asText();
                String device = name.equals("bridge") ? "docker0" : "br-" + n.path("Id").asText().substring(0, 12);
                bridges.put(name, device);
                networks.put(name, n);
                checkBridge(name, device, n);
            }
        }
        Map<String, Integer> endpointsPerBridge = new TreeMap<>();
        List<JsonNode> containers = inspectAll(bed, "ps", "-aq", "--no-trunc");
        for (JsonNode c : containers) {
            checkContainer(c, bridges, endpointsPerBridge);
        }
        checkCounts(bridges, endpointsPerBridge, containers.size());
    }

    private void checkBridge(String name, String device, JsonNode network) {
        JsonNode link = hostLink(device);
        if (link == null) {
            problems.add("network " + name + ": bridge " + device + " missing");
            return;
        }
        if (!flags(link).contains("UP")) {
            problems.add("network " + name + ": bridge " + device + " is down");
        }
        List<String> gateways = new ArrayList<>();
        for (JsonNode config : network.path("IPAM").path("Config")) {
            String gateway = config.path("Gateway").asText("");
            if (gateway.isEmpty()) {
                continue;
            }
            String subnet = config.path("Subnet").asText("");
            int length = subnet.contains("/") ? Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1)) : -1;
            gateways.add(gateway.toLowerCase(java.util.Locale.ROOT));
            if (!hasAddress(link, gateway, length)) {
                problems.add("network " + name + ": bridge " + device + " lacks gateway " + gateway + "/" + length);
            }
        }
        for (JsonNode a : link.path("addr_info")) {
            String local = a.path("local").asText().toLowerCase(java.util.Locale.ROOT);
            if (!local.startsWith("fe80:") && !gateways.contains(local)) {
                problems.add("network " + name + ": stray address " + local + "/" + a.path("prefixlen").asInt()
                        + " on bridge " + device + " (its gateways: " + gateways + ")");
            }
        }
    }

    private void checkContainer(JsonNode c, Map<String, String> bridges, Map<String, Integer> endpointsPerBridge) {
        String name = c.path("Name").asText().replaceFirst("^/", "");
        String id12 = c.path("Id").asText().substring(0, 12);
        Path netns = bed.dir().resolve("exec/netns").resolve(id12);
        JsonNode state = c.path("State");
        long pid = state.path("Pid").asLong();
        if (state.path("Running").asBoolean() && pid > 0 && !ProcessHandle.of(pid)
                .map(ProcessHandle::isAlive).orElse(false)) {
            problems.add("container " + name + ": inspect says running with pid " + state.path("Pid") + ", not alive");
        }
        if (!Files.exists(netns)) {
            problems.add("container " + name + ": namespace file " + netns + " missing");
            return;
        }
        JsonNode links = json(inNs(netns, "ip", "-j", "addr", "show"));
        boolean wantsDefault = false;
        List<String> v6Gateways = new ArrayList<>();
        var endpoints = c.path("NetworkSettings").path("Networks").properties();
        checkStrays(name, links, endpoints);
        for (Map.Entry<String, JsonNode> e : endpoints) {
            String device = bridges.get(e.getKey());
            if (device == null) {
                continue; // host or none
            }
            endpointsPerBridge.merge(device, 1, Integer::sum);
            wantsDefault |= !e.getValue().path("Gateway").asText("").isEmpty();
            if (!e.getValue().path("IPv6Gateway").asText("").isEmpty()
                    && !e.getValue().path("GlobalIPv6Address").asText("").isEmpty()) {
                v6Gateways.add(e.getValue().path("IPv6Gateway").asText().toLowerCase(java.util.Locale.ROOT));
            }
            checkEndpoint(name + " on " + e.getKey(), netns, links, e.getValue());
            checkInSubnet(name + " on " + e.getKey(), networks.get(e.getKey()), e.getValue());
        }
        if (wantsDefault && json(inNs(netns, "ip", "-j", "-4", "route", "show", "default")).isEmpty()) {
            problems.add("container " + name + ": no IPv4 default route in its namespace");
        }
        checkIpv6DefaultRoute(name, netns, v6Gateways);
        checkPorts(name, netns, c.path("NetworkSettings").path("Ports"));
        checkHosts(c, name, endpoints);
    }

    /**
     * One IPv6 default route via an endpoint's IPv6 gateway when one with an IPv6 address has a
     * gateway, none when none has (an endpoint that lost IPv6 takes its route with it).
     */
    private void checkIpv6DefaultRoute(String name, Path netns, List<String> gateways) {
        List<String> routes = new ArrayList<>();
        for (JsonNode r : json(inNs(netns, "ip", "-j", "-6", "route", "show", "default"))) {
            routes.add(r.path("gateway").asText("-").toLowerCase(java.util.Locale.ROOT));
        }
        if (gateways.isEmpty() && !routes.isEmpty()) {
            problems.add("container " + name + ": IPv6 default route via " + routes + " but no endpoint has an IPv6 gateway");
        } else if (!gateways.isEmpty() && (routes.size() != 1 || !gateways.contains(routes.getFirst()))) {
            problems.add("container " + name + ": IPv6 default routes via " + routes + ", want one via one of " + gateways);
        }
    }

    /**
     * The endpoint's addresses lie in its network's subnets, and it has an IPv6 address exactly when
     * the network has IPv6: the store holds one configuration whole, not half of two. (Only a start
     * with a default-bridge range too small for its sandboxes leaves some without; no operation
     * here does that.)
     */
    private void checkInSubnet(String what, JsonNode network, JsonNode ep) {
        if (network == null) {
            return;
        }
        List<String> subnets = new ArrayList<>();
        network.path("IPAM").path("Config").forEach(config -> subnets.add(config.path("Subnet").asText("")));
        String v6 = ep.path("GlobalIPv6Address").asText("");
        boolean ipv6 = network.path("EnableIPv6").asBoolean();
        if (ipv6 && v6.isEmpty()) {
            problems.add(what + ": no IPv6 address on an IPv6 network");
        } else if (!ipv6 && !v6.isEmpty()) {
            problems.add(what + ": IPv6 address " + v6 + " on a network without IPv6");
        }
        for (String field : List.of("IPAddress", "GlobalIPv6Address")) {
            String address = ep.path(field).asText("");
            if (!address.isEmpty() && subnets.stream().noneMatch(s -> contains(s, address))) {
                problems.add(what + ": " + address + " is in none of the network's subnets " + subnets);
            }
        }
    }

    /**
     * A running process's {@code /etc/hosts} (the file under the exec root its mount shows) has the
     * sandbox's own addresses, each endpoint's, and no other own entry.
     */
    private void checkHosts(JsonNode c, String name, java.util.Set<Map.Entry<String, JsonNode>> endpoints) {
        if (!c.path("State").path("Running").asBoolean() || c.path("State").path("Pid").asLong() <= 0) {
            return;
        }
        Path hosts = bed.dir().resolve("exec/sandboxes").resolve(c.path("Id").asText()).resolve("hosts");
        if (!Files.exists(hosts)) {
            return;
        }
        java.util.Set<String> want = new java.util.TreeSet<>();
        for (Map.Entry<String, JsonNode> e : endpoints) {
            for (String field : List.of("IPAddress", "GlobalIPv6Address")) {
                String address = e.getValue().path(field).asText("");
                if (!address.isEmpty()) {
                    want.add(address.toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        java.util.Set<String> have = new java.util.TreeSet<>();
        try {
            for (String line : Files.readAllLines(hosts)) {
                String[] words = line.strip().split("\\s+");
                if (words.length >= 2 && !words[0].startsWith("#") && java.util.Arrays.asList(words).contains(name)) {
                    have.add(words[0].toLowerCase(java.util.Locale.ROOT));
                }
            }
        } catch (IOException e) {
            problems.add("container " + name + ": cannot read " + hosts + ": " + e);
            return;
        }
        if (!have.equals(want)) {
            problems.add("container " + name + ": /etc/hosts has own entries " + have + ", its endpoints have " + want);
        }
    }

    /** Whether {@code cidr} ({@code 2001:db8::/64}) contains {@code address} (the daemon's own prefix type). */
    static boolean contains(String cidr, String address) {
        try {
            return IpPrefix.parse(cidr).contains(IpAddresses.parse(address));
        } catch (InvalidParameterException e) {
            return false;
        }
    }

    /**
     * Nothing in the sandbox the API does not account for: every link but {@code lo} is an
     * endpoint's (by MAC), and carries no address but the endpoint's (and IPv6 link-local).
     */
    private void checkStrays(String name, JsonNode links, java.util.Set<Map.Entry<String, JsonNode>> networks) {
        Map<String, List<String>> addressesByMac = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : networks) {
            JsonNode ep = e.getValue();
            List<String> own = new ArrayList<>();
            for (String family : List.of("IPAddress", "GlobalIPv6Address")) {
                own.add(ep.path(family).asText("").toLowerCase(java.util.Locale.ROOT));
            }
            addressesByMac.put(ep.path("MacAddress").asText().toLowerCase(java.util.Locale.ROOT), own);
        }
        for (JsonNode l : links) {
            String ifname = l.path("ifname").asText();
            if (ifname.equals("lo")) {
                continue;
            }
            List<String> own = addressesByMac.get(l.path("address").asText().toLowerCase(java.util.Locale.ROOT));
            if (own == null) {
                problems.add("container " + name + ": stray link " + ifname + " (" + l.path("address").asText()
                        + ") in its namespace, no endpoint has that MAC");
                continue;
            }
            for (JsonNode a : l.path("addr_info")) {
                String local = a.path("local").asText().toLowerCase(java.util.Locale.ROOT);
                if (!local.startsWith("fe80:") && !own.contains(local)) {
                    problems.add("container " + name + ": stray address " + local + " on " + ifname);
                }
            }
        }
    }

    private void checkEndpoint(String what, Path netns, JsonNode links, JsonNode ep) {
        String mac = ep.path("MacAddress").asText();
        JsonNode link = null;
        for (JsonNode l : links) {
            if (l.path("address").asText().equalsIgnoreCase(mac)) {
                link = l;
            }
        }
        if (link == null) {
            problems.add(what + ": no link with MAC " + mac + " in the sandbox");
            return;
        }
        if (!flags(link).contains("UP")) {
            problems.add(what + ": link " + link.path("ifname").asText() + " is down");
        }
        for (String family : List.of("IPAddress", "GlobalIPv6Address")) {
            String address = ep.path(family).asText("");
            int length = ep.path(family.equals("IPAddress") ? "IPPrefixLen" : "GlobalIPv6PrefixLen").asInt(-1);
            if (!address.isEmpty() && !hasAddress(link, address, length)) {
                problems.add(what + ": link " + link.path("ifname").asText() + " lacks " + address + "/" + length);
            }
        }
        for (String gateway : List.of(ep.path("Gateway").asText(""), ep.path("IPv6Gateway").asText(""))) {
            if (!gateway.isEmpty() && !ping(netns, gateway)) {
                problems.add(what + ": no ping reply from gateway " + gateway);
            }
        }
    }

    private void checkPorts(String name, Path netns, JsonNode ports) {
        for (Map.Entry<String, JsonNode> e : ports.properties()) {
            if (!e.getKey().endsWith("/tcp") || !e.getValue().isArray() || e.getValue().isEmpty()) {
                continue;
            }
            int containerPort = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('/')));
            int hostPort = e.getValue().get(0).path("HostPort").asInt();
            String answer = throughPort(netns, containerPort, hostPort);
            if (!answer.equals(HostFixture.UPSTREAM_V4)) {
                problems.add("container " + name + ": published port " + hostPort + "->" + e.getKey()
                        + " does not answer from upstream (" + answer + ")");
            }
        }
    }

    /** Serves in the sandbox and connects from the upstream namespace to the host's uplink address. */
    private String throughPort(Path netns, int containerPort, int hostPort) {
        try (Traffic traffic = new Traffic(bed)) {
            traffic.serve(netns, containerPort);
            return traffic.connect(Traffic.named(bed.host().upstreamNs()), HostFixture.HOST_V4, hostPort);
        } catch (AssertionError e) {
            return String.valueOf(e.getMessage());
        }
    }

    private void checkCounts(Map<String, String> bridges, Map<String, Integer> endpointsPerBridge, int containers) {
        JsonNode links = bed.host().ipHostJson("-d", "link", "show");
        Map<String, Integer> vethsPerMaster = new TreeMap<>();
        int bridgeLinks = 0;
        for (JsonNode l : links) {
            String kind = l.path("linkinfo").path("info_kind").asText("");
            if (kind.equals("veth") && !l.path("ifname").asText().equals(HostFixture.UPLINK)) {
                vethsPerMaster.merge(l.path("master").asText("(none)"), 1, Integer::sum);
            } else if (kind.equals("bridge")) {
                bridgeLinks++;
            }
        }
        if (bridgeLinks != bridges.size()) {
            problems.add(bridgeLinks + " bridges in the host namespace for " + bridges.size() + " bridge networks "
                    + bridges.values());
        }
        if (!vethsPerMaster.equals(endpointsPerBridge)) {
            problems.add("veths per bridge " + vethsPerMaster + " but endpoints per bridge " + endpointsPerBridge);
        }
        Path dir = bed.dir().resolve("exec/netns");
        try (var listing = Files.isDirectory(dir) ? Files.list(dir) : java.util.stream.Stream.<Path>empty()) {
            long files = listing.count();
            if (files != containers) {
                problems.add(files + " namespace files for " + containers + " containers");
            }
        } catch (IOException e) {
            problems.add("cannot list namespace files: " + e);
        }
    }

    private boolean ping(Path netns, String address) {
        Traffic traffic = new Traffic(bed);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (traffic.ping(netns, address)) {
                return true;
            }
        }
        return false;
    }

    private CommandResult inNs(Path netns, String... command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns));
        argv.addAll(List.of(command));
        return bed.run(argv);
    }

    private JsonNode hostLink(String device) {
        for (JsonNode l : bed.host().ipHostJson("addr", "show")) {
            if (l.path("ifname").asText().equals(device)) {
                return l;
            }
        }
        return null;
    }

    private static List<String> flags(JsonNode link) {
        List<String> out = new ArrayList<>();
        link.path("flags").forEach(f -> out.add(f.asText()));
        return out;
    }

    /** Whether the link has the address with that prefix length (-1: any). */
    private static boolean hasAddress(JsonNode link, String address, int length) {
        for (JsonNode a : link.path("addr_info")) {
            if (a.path("local").asText().equalsIgnoreCase(address)
                    && (length < 0 || a.path("prefixlen").asInt() == length)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode json(CommandResult r) {
        try {
            return JSON.readTree(r.stdout().isBlank() ? "[]" : r.stdout());
        } catch (IOException e) {
            return JSON.createArrayNode();
        }
    }
}
