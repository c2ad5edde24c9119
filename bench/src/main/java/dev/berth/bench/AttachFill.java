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
 * berthd, over one kept-alive connection ({@link UnixHttpClient}):
 * <pre>
 *   java -cp benchmarks.jar dev.berth.bench.AttachFill setup SOCKET [routed6]
 *   java -cp benchmarks.jar dev.berth.bench.AttachFill fill  SOCKET FROM TO OUT.jsonl [LABEL]
 *   java -cp benchmarks.jar dev.berth.bench.AttachFill clean SOCKET [OUT.jsonl]
 * </pre>
 * {@code setup}: networks {@code ba} (10.89.0.0/24) and {@code bb} (10.88.0.0/16), and the
 * probe sandbox {@code bprobe} on {@code ba}; with {@code routed6}, bb also has IPv6
 * 2001:db8::1:0:0:0/80 in gateway mode {@code routed} (with an uplink holding 2001:db8::/64, each
 * endpoint on bb then gets an NDP proxy entry). {@code fill}: sandboxes {@code bs<FROM+1>} ..
 * {@code bs<TO>} on {@code bb}, one {@code POST /containers/create} each (a netns, a veth into
 * bb's bridge, an address), each create timed with {@link System#nanoTime()} around the request;
 * appends one JSON line with every sample (ms), the wall time and the row label (LABEL). {@code clean}: every sandbox
 * removed with {@code DELETE /containers/{id}?force=1}, then networks {@code ba}, {@code bb}.
 */
public final class AttachFill {
    static final String API = NetworkBench.API;
    static final String NET_A = "ba";
    static final String NET_B = "bb";
    static final String PROBE = "bprobe";

    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-f]{64})\"");

    private AttachFill() {
    }

    static String sandboxBody(String network) {
        return "{\"Image\":\"\",\"HostConfig\":{\"NetworkMode\":\"" + network + "\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"" + network + "\":{}}}}";
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
                    fill(http, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]),
                            args.length == 6 ? args[5] : null);
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
        http.postJson(API + "/networks/create", networkBody(NET_A, "10.89.0.0/24")).requireStatus(201, "create " + NET_A);
        http.postJson(API + "/networks/create", routed6 ? routedNetworkBody(NET_B, "10.88.0.0/16", "2001:db8::1:0:0:0/80")
                : networkBody(NET_B, "10.88.0.0/16")).requireStatus(201, "create " + NET_B);
        http.postJson(API + "/containers/create?name=" + PROBE, sandboxBody(NET_A)).requireStatus(201, "create " + PROBE);
        System.out.println("setup: networks " + NET_A + " 10.89.0.0/24, " + NET_B + " 10.88.0.0/16"
                + (routed6 ? " + 2001:db8::1:0:0:0/80 (IPv6 routed)" : "") + "; sandbox " + PROBE + " on " + NET_A);
    }

    static void fill(UnixHttpClient http, int from, int to, Path out, String label) throws IOException {
        String body = sandboxBody(NET_B);
        List<Double> ms = new ArrayList<>(to - from);
        long t0 = System.nanoTime();
        for (int i = from + 1; i <= to; i++) {
            long a = System.nanoTime();
            UnixHttpClient.Response r = http.postJson(API + "/containers/create?name=bs" + i, body);
            long b = System.nanoTime();
            r.requireStatus(201, "create sandbox bs" + i + " on " + NET_B);
            ms.add((b - a) / 1e6);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        StringBuilder j = new StringBuilder(64 + 10 * ms.size())
                .append("{\"kind\":\"fill\",").append(label == null ? "" : "\"system\":\"" + label + "\",")
                .append("\"from\":").append(from).append(",\"to\":").append(to)
                .append(",\"wall_s\":").append(String.format(Locale.ROOT, "%.3f", wall)).append(",\"samples_ms\":[");
        for (int i = 0; i < ms.size(); i++) {
            j.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", ms.get(i)));
        }
        j.append("]}\n");
        Files.writeString(out, j, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.printf(Locale.ROOT, "fill: bs%d..bs%d on %s: %d creates in %.1f s%n", from + 1, to, NET_B, ms.size(), wall);
    }

    static void clean(UnixHttpClient http, Path out) throws IOException {
        String list = http.get(API + "/containers/json?all=1").requireStatus(200, "GET /containers/json").body();
        Matcher m = ID.matcher(list);
        int n = 0;
        int failed = 0;
        long t0 = System.nanoTime();
        while (m.find()) {
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
        System.out.printf(Locale.ROOT, "clean: %d sandboxes removed in %.1f s, %d failures, %d left%n", n, wall, failed, remaining);
        if (out != null) {
            Files.writeString(out, String.format(Locale.ROOT,
                    "{\"kind\":\"clean\",\"removed\":%d,\"wall_s\":%.3f,\"failed\":%d,\"left\":%d}%n", n, wall, failed, remaining),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (remaining > 0 || failed > 0) {
            System.exit(1);
        }
    }
}
