package dev.berth.it.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Everything the daemon may leave behind, as sorted strings per kind: links, addresses, routes
 * (every table, both families), permanent and proxy neighbour entries of the host namespace, the
 * {@code inet berth} table (rules and set/map elements, without handles and counters), namespace
 * files, mounts under the test directory, files under the data and exec roots, and processes
 * carrying the run's marker in their command line. Two snapshots compare by {@link #diff}.
 *
 * @param parts kind to its sorted items
 */
public record KernelSnapshot(SortedMap<String, SortedSet<String>> parts) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Files the daemon keeps for good: the store and its journal, the engine id, pid file, socket. */
    private static final Set<String> KEPT_FILES = Set.of("data/berth.db", "data/berth.db-wal", "data/berth.db-shm",
            "data/engine-id", "exec/berthd.pid");

    /** The daemon's directory for sandbox files, made on first use and kept. */
    private static final String SANDBOX_DIR = "exec/sandboxes/";
    /** The namespace directory, bind-mounted onto itself (shared) on first use, as {@code ip netns} does. */
    private static final String NETNS_DIR_MOUNT = "exec/netns";

    /** Takes a snapshot of the testbed's host namespace and directories; {@code marker} finds processes. */
    public static KernelSnapshot take(Testbed bed, String marker) {
        SortedMap<String, SortedSet<String>> parts = new TreeMap<>();
        HostFixture host = bed.host();
        parts.put("link", collect(host.ipHostJson("-d", "link", "show"), l -> l.path("ifname").asText() + " kind="
                + l.path("linkinfo").path("info_kind").asText("-") + " master=" + l.path("master").asText("-")));
        parts.put("address", collect(host.ipHostJson("addr", "show"), KernelSnapshot::addresses));
        SortedSet<String> routes = new TreeSet<>();
        routes.addAll(collect(host.ipHostJson("-4", "route", "show", "table", "all"), KernelSnapshot::route));
        routes.addAll(collect(host.ipHostJson("-6", "route", "show", "table", "all"), KernelSnapshot::route));
        parts.put("route", routes);
        SortedSet<String> neighbours = new TreeSet<>();
        neighbours.addAll(collect(host.ipHostJson("neigh", "show", "nud", "permanent"), KernelSnapshot::neighbour));
        neighbours.addAll(collect(host.ipHostJson("-6", "neigh", "show", "proxy"), n -> "proxy " + neighbour(n)));
        parts.put("neighbour", neighbours);
        parts.put("nft", nft(bed));
        parts.put("netns", files(bed.dir().resolve("exec/netns"), bed.dir()));
        parts.put("mount", mounts(bed.dir()));
        SortedSet<String> files = new TreeSet<>();
        files.addAll(files(bed.dir().resolve("data"), bed.dir()));
        files.addAll(files(bed.dir().resolve("exec"), bed.dir()));
        files.removeIf(f -> KEPT_FILES.contains(f) || f.startsWith("exec/netns/") || f.equals(SANDBOX_DIR));
        parts.put("file", files);
        parts.put("process", processes(marker));
        return new KernelSnapshot(parts);
    }

    /** What differs, as sentences ({@code leaked link vethab12 ...}, {@code missing route ...}). */
    public List<String> diff(KernelSnapshot baseline) {
        List<String> out = new ArrayList<>();
        for (String kind : parts.keySet()) {
            SortedSet<String> now = parts.get(kind);
            SortedSet<String> then = baseline.parts().getOrDefault(kind, new TreeSet<>());
            now.stream().filter(i -> !then.contains(i)).forEach(i -> out.add("leaked " + kind + " " + i));
            then.stream().filter(i -> !now.contains(i)).forEach(i -> out.add("missing " + kind + " " + i));
        }
        return out;
    }

    /** Items of one kind. */
    public SortedSet<String> of(String kind) {
        return parts.getOrDefault(kind, new TreeSet<>());
    }

    private static SortedSet<String> collect(JsonNode array, java.util.function.Function<JsonNode, Object> item) {
        SortedSet<String> out = new TreeSet<>();
        for (JsonNode node : array) {
            Object value = item.apply(node);
            if (value instanceof List<?> list) {
                list.forEach(v -> out.add(v.toString()));
            } else if (value != null) {
                out.add(value.toString());
            }
        }
        return out;
    }

    /**
     * Addresses but IPv6 link-local ones: the kernel gives a bridge one the first time it has
     * carrier (a first port), and keeps it after the last port leaves; it is not the daemon's.
     */
    private static List<String> addresses(JsonNode link) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : link.path("addr_info")) {
            if (a.path("local").asText().startsWith("fe80:")) {
                continue;
            }
            out.add(link.path("ifname").asText() + " " + a.path("local").asText() + "/" + a.path("prefixlen").asInt());
        }
        return out;
    }

    /**
     * A route as text; null for routes the kernel derives by itself: anycast routes on every link
     * once IPv6 forwarding is on (the daemon turns it on for good, as dockerd does), and the
     * link-local and multicast routes of a link that has had carrier (see {@link #addresses}).
     */
    private static String route(JsonNode r) {
        String dst = r.path("dst").asText();
        if (r.path("type").asText("").equals("anycast") || dst.startsWith("fe80:") || dst.equals("ff00::/8")) {
            return null;
        }
        return r.path("table").asText("main") + " " + r.path("type").asText("unicast") + " " + r.path("dst").asText()
                + " via=" + r.path("gateway").asText("-") + " dev=" + r.path("dev").asText("-");
    }

    private static String neighbour(JsonNode n) {
        return n.path("dst").asText() + " dev=" + n.path("dev").asText() + " lladdr=" + n.path("lladdr").asText("-");
    }

    private static SortedSet<String> nft(Testbed bed) {
        CommandResult r = bed.run(HostFixture.inNamespace(bed.host().hostNs(), "nft", "-j", "list", "table", "inet",
                "berth"));
        SortedSet<String> out = new TreeSet<>();
        if (r.exitCode() != 0) {
            out.add("<no table inet berth: " + r.stderr().strip() + ">");
            return out;
        }
        try {
            for (JsonNode item : JSON.readTree(r.stdout()).path("nftables")) {
                if (item.has("metainfo")) {
                    continue;
                }
                JsonNode copy = item.deepCopy();
                strip(copy);
                out.add(copy.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Drops what changes without a change of ruleset: handles and counter values. */
    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("handle", "packets", "bytes"));
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            strip(it.next());
        }
    }

    private static SortedSet<String> files(Path dir, Path base) {
        SortedSet<String> out = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !Files.isDirectory(p) || isEmptyDir(p))
                    .forEach(p -> out.add(base.relativize(p).toString() + (Files.isDirectory(p) ? "/" : "")));
        } catch (IOException e) {
            out.add("<cannot walk " + dir + ": " + e + ">");
        }
        out.remove(base.relativize(dir) + "/");
        return out;
    }

    private static boolean isEmptyDir(Path p) {
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static SortedSet<String> mounts(Path dir) {
        SortedSet<String> out = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String point = line.split(" ")[4];
                if (point.startsWith(dir + "/") && !point.equals(dir + "/" + NETNS_DIR_MOUNT)) {
                    out.add(dir.relativize(Path.of(point)).toString());
                }
            }
        } catch (IOException e) {
            out.add("<cannot read mountinfo: " + e + ">");
        }
        return out;
    }

    private static SortedSet<String> processes(String marker) {
        SortedSet<String> out = new TreeSet<>();
        ProcessHandle.allProcesses().forEach(p -> p.info().arguments().ifPresent(args -> {
            if (List.of(args).contains(marker)) {
                out.add("pid " + p.pid() + ": " + p.info().command().orElse("?") + " " + String.join(" ", args));
            }
        }));
        return out;
    }

    /** For a report: the counts per kind. */
    @Override
    public String toString() {
        Map<String, Integer> sizes = new TreeMap<>();
        parts.forEach((k, v) -> sizes.put(k, v.size()));
        return sizes.toString();
    }
}
