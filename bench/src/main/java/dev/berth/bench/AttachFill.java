package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The untimed-for-{@link AttachBench} side of {@code bench/run.sh attach}, against a running
 * daemon (berthd, dockerd or podman's Docker-compatible service), over one kept-alive connection
 * ({@link UnixHttpClient}):
 * <pre>
 *   java [-Dberth.api=1.41] [-Dberth.image=IMG] -cp benchmarks.jar dev.berth.bench.AttachFill setup SOCKET [routed6]
 *   java ... dev.berth.bench.AttachFill fill  SOCKET FROM TO OUT.jsonl [LABEL]
 *   java ... dev.berth.bench.AttachFill clean SOCKET [OUT.jsonl]
 * </pre>
 * {@code setup}: networks {@code ba} (10.86.0.0/24) and {@code bb} (10.87.0.0/16), and the
 * probe {@code bprobe} on {@code ba}; with {@code routed6}, bb also has IPv6
 * 2001:db8::1:0:0:0/80 in gateway mode {@code routed} (with an uplink holding 2001:db8::/64, each
 * endpoint on bb then gets an NDP proxy entry). {@code fill}: {@code bs<FROM+1>} ..
 * {@code bs<TO>} on {@code bb}, one {@code POST /containers/create} each (a netns, a veth into
 * bb's bridge, an address), each create timed with {@link System#nanoTime()} around the request;
 * appends one JSON line with every sample (ms), the wall time and the row label (LABEL); exit
 * status 3 if a limit stopped it early (see {@link #fill}). {@code clean}: every container
 * removed with {@code DELETE /containers/{id}?force=1}, then networks {@code ba}, {@code bb}.
 *
 * <p>Without {@code berth.image} the probe and the fill are Berth's image-less sandboxes
 * ({@code "Image": ""}: a network namespace and nothing running). With it (the same-client runs,
 * where dockerd and podman need an image and a process) every one of them is a container of that
 * image running {@code sleep 3600}, created and then started ({@code POST /containers/{id}/start}),
 * with the same body on every daemon; a fill sample is then create + start, and {@code clean}
 * kills each container ({@code POST /containers/{id}/kill}) before removing it. {@code berth.api}
 * is the API version in the paths (default 1.50; 1.41 is the highest dockerd 20.10 and podman 4.3
 * speak).
 */
public final class AttachFill {
    static final String API = "/v" + System.getProperty("berth.api", NetworkBench.DEFAULT_API);
    /** The image of the probe and the fill, or null for image-less sandboxes. */
    static final String IMAGE = emptyToNull(System.getProperty("berth.image"));
    static final String NET_A = "ba";
    static final String NET_B = "bb";
    static final String PROBE = "bprobe";

    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-f]{64})\"");

    private AttachFill() {
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The create body: an image-less sandbox ({@code image} null) or a container of {@code image} running sleep. */
    static String sandboxBody(String network, String image) {
        String process = image == null ? "\"Image\":\"\"," : "\"Image\":\"" + image + "\",\"Cmd\":[\"sleep\",\"3600\"],";
        return "{" + process + "\"HostConfig\":{\"NetworkMode\":\"" + network + "\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"" + network + "\":{}}}}";
    }

    /** Creates {@code name} on {@code network} and, with an image, starts it. */
    static void createOne(UnixHttpClient http, String name, String network) {
        UnixHttpClient.Response r = http.postJson(API + "/containers/create?name=" + name, sandboxBody(network, IMAGE))
                .requireStatus(201, "create " + name + " on " + network);
        if (IMAGE != null) {
            Matcher m = ID.matcher(r.body());
            if (!m.find()) {
                throw new IllegalStateException("no Id in the create response of " + name + ": " + r.body());
            }
            int status = http.send("POST", API + "/containers/" + m.group(1) + "/start", null).status();
            if (status != 204) {
                throw new IllegalStateException("start " + name + ": HTTP " + status);
            }
        }
    }

    static String networkBody(String name, String subnet) {
        return "{\"Name\":\"" + name + "\",\"Driver\":\"bridge\",\"IPAM\":{\"Driver\":\"default\",\"Options\":{},"
                + "\"Config\":[{\"Subnet\":\"" + subnet + "\"}]},\"Options\":{},\"Labels\":{}}";
    }

    /** Dual-stack, IPv6 routed: {@code docker network create --ipv6 --subnet V4 --subnet V6 -o ...gateway_mode_ipv6=routed}. */
    static String routedNetworkBody(String name, String subnet, String subnet6) {
        return "{\"Name\":\"" + name + "\",\"Driver\":\"bridge\",\"EnableIPv6\":true,\"IPAM\":{\"Driver\":\"default\","
                + "\"Options\":{},\"Config\":[{\"Subnet\":\"" + subnet + "\"},{\"Subnet\":\"" + subnet6 + "\"}]},"
                + "\"Options\":{\"com.docker.network.bridge.gateway_mode_ipv6\":\"routed\"},\"Labels\":{}}";
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            usage();
        }
        try (UnixHttpClient http = new UnixHttpClient(Path.of(args[1]), UnixHttpClient.Mode.KEEPALIVE)) {
            http.get("/_ping").requireStatus(200, "GET /_ping");
            switch (args[0]) {
                case "setup" -> setup(http, args.length > 2 && args[2].equals("routed6"));
                case "fill" -> {
                    if (args.length != 5 && args.length != 6) {
                        usage();
                    }
                    if (!fill(http, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]),
                            args.length == 6 ? args[5] : null)) {
                        System.exit(3);
                    }
                }
                case "clean" -> clean(http, args.length > 2 ? Path.of(args[2]) : null);
                default -> usage();
            }
        }
    }

    private static void usage() {
        System.err.println("usage: AttachFill setup SOCKET [routed6] | fill SOCKET FROM TO OUT.jsonl [LABEL]"
                + " | clean SOCKET [OUT.jsonl]");
        System.exit(2);
    }

    static void setup(UnixHttpClient http, boolean routed6) {
        http.postJson(API + "/networks/create", networkBody(NET_A, "10.86.0.0/24")).requireStatus(201, "create " + NET_A);
        http.postJson(API + "/networks/create", routed6 ? routedNetworkBody(NET_B, "10.87.0.0/16", "2001:db8::1:0:0:0/80")
                : networkBody(NET_B, "10.87.0.0/16")).requireStatus(201, "create " + NET_B);
        createOne(http, PROBE, NET_A);
        System.out.println("setup: networks " + NET_A + " 10.86.0.0/24, " + NET_B + " 10.87.0.0/16"
                + (routed6 ? " + 2001:db8::1:0:0:0/80 (IPv6 routed)" : "") + "; " + what() + " " + PROBE + " on " + NET_A);
    }

    /**
     * Fills bb from {@code from} to {@code to}; false if a limit stopped it first (system properties
     * {@code berth.fill.maxSeconds}: wall time of this fill, and {@code berth.fill.minAvailableMiB}:
     * the machine's MemAvailable, checked every 25 creates; 0 or unset = no limit). The JSON line
     * then says how far it got ({@code to} and {@code stopped}).
     */
    static boolean fill(UnixHttpClient http, int from, int to, Path out, String label) throws IOException {
        long maxNanos = (long) (Double.parseDouble(System.getProperty("berth.fill.maxSeconds", "0")) * 1e9);
        long minAvailableKb = Long.parseLong(System.getProperty("berth.fill.minAvailableMiB", "0")) * 1024;
        List<Double> ms = new ArrayList<>(to - from);
        long t0 = System.nanoTime();
        String stopped = null;
        int reached = from;
        for (int i = from + 1; i <= to; i++) {
            if (maxNanos > 0 && System.nanoTime() - t0 > maxNanos) {
                stopped = "time limit " + maxNanos / 1_000_000_000L + " s";
            } else if (minAvailableKb > 0 && (i - from) % 25 == 1 && memAvailableKb() < minAvailableKb) {
                stopped = "MemAvailable below " + minAvailableKb / 1024 + " MiB";
            }
            if (stopped != null) {
                System.out.println("fill: stopped at " + reached + " of " + to + ": " + stopped);
                break;
            }
            long a = System.nanoTime();
            createOne(http, "bs" + i, NET_B);
            ms.add((System.nanoTime() - a) / 1e6);
            reached = i;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        StringBuilder j = new StringBuilder(64 + 10 * ms.size())
                .append("{\"kind\":\"fill\",").append(label == null ? "" : "\"system\":\"" + label + "\",")
                .append("\"op\":\"").append(IMAGE == null ? "create sandbox on bb (fill)" : "create + start container on bb (fill)")
                .append("\",")
                .append(stopped == null ? "" : "\"stopped\":\"" + stopped + "\",")
                .append("\"from\":").append(from).append(",\"to\":").append(reached)
                .append(",\"wall_s\":").append(String.format(Locale.ROOT, "%.3f", wall)).append(",\"samples_ms\":[");
        for (int i = 0; i < ms.size(); i++) {
            j.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", ms.get(i)));
        }
        j.append("]}\n");
        Files.writeString(out, j, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.printf(Locale.ROOT, "fill: bs%d..bs%d on %s: %d %ss in %.1f s%n", from + 1, reached, NET_B, ms.size(), what(),
                wall);
        return stopped == null;
    }

    /** MemAvailable of /proc/meminfo in KiB (Long.MAX_VALUE if it cannot be read). */
    static long memAvailableKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("fill: cannot read MemAvailable: " + e);
        }
        return Long.MAX_VALUE;
    }

    static void clean(UnixHttpClient http, Path out) throws IOException {
        String list = http.get(API + "/containers/json?all=1").requireStatus(200, "GET /containers/json").body();
        Matcher m = ID.matcher(list);
        int n = 0;
        int failed = 0;
        long t0 = System.nanoTime();
        while (m.find()) {
            if (IMAGE != null) { // SIGKILL first: podman's forced remove would wait the stop timeout (sleep ignores SIGTERM as PID 1)
                http.send("POST", API + "/containers/" + m.group(1) + "/kill", null);
            }
            int status = http.delete(API + "/containers/" + m.group(1) + "?force=1").status();
            if (status == 204 || status == 404) {
                n++;
            } else {
                failed++;
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        for (String net : List.of(NET_A, NET_B)) {
            int status = http.delete(API + "/networks/" + net).status();
            if (status != 204 && status != 404) {
                failed++;
            }
        }
        String left = http.get(API + "/containers/json?all=1").body();
        int remaining = 0;
        for (Matcher r = ID.matcher(left); r.find(); ) {
            remaining++;
        }
        System.out.printf(Locale.ROOT, "clean: %d " + what() + "s removed in %.1f s, %d failures, %d left%n", n, wall, failed, remaining);
        if (out != null) {
            Files.writeString(out, String.format(Locale.ROOT,
                    "{\"kind\":\"clean\",\"removed\":%d,\"wall_s\":%.3f,\"failed\":%d,\"left\":%d}%n", n, wall, failed, remaining),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (remaining > 0 || failed > 0) {
            System.exit(1);
        }
    }

    private static String what() {
        return IMAGE == null ? "sandbox" : "container";
    }
}
