package dev.berth.it;

import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Several simulated hosts for the overlay tests: an underlay namespace with a bridge {@code ul0}
 * (198.51.100.1/24, where a real etcd listens on 2379) and host namespaces joined to it by veth
 * pairs, host {@code i} at 198.51.100.1{@code i} on its {@code eth0}. Every link is made inside
 * the test's namespaces (the veth inside the underlay namespace, its peer moved straight into the
 * host's), never in the initial one. Torn down by the testbed: etcd killed by PID, namespaces
 * deleted (its data directory is in the test directory).
 */
final class Underlay {
    static final String ETCD = System.getenv().getOrDefault("BERTH_ETCD",
            "/opt/berth-deps/etcd-server/usr/bin/etcd");
    static final String ETCD_ADDRESS = "198.51.100.1";
    static final int ETCD_PORT = 2379;

    private final Testbed bed;
    private final String tag;
    private final String underlayNs;
    private final List<String> hosts = new ArrayList<>();
    private Process etcd;

    private Underlay(Testbed bed) {
        this.bed = bed;
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        this.tag = HexFormat.of().formatHex(random);
        this.underlayNs = "biou-" + tag;
    }

    /** The underlay namespace and bridge, and {@code count} hosts on it; removed at teardown. */
    static Underlay create(Testbed bed, int count) {
        Underlay underlay = new Underlay(bed);
        bed.atTearDown(underlay::delete);
        underlay.build(count);
        return underlay;
    }

    private void build(int count) {
        ip("netns", "add", underlayNs);
        ip("-n", underlayNs, "link", "set", "lo", "up");
        ip("-n", underlayNs, "link", "add", "ul0", "type", "bridge");
        ip("-n", underlayNs, "addr", "add", ETCD_ADDRESS + "/24", "dev", "ul0");
        ip("-n", underlayNs, "link", "set", "ul0", "up");
        for (int i = 1; i <= count; i++) {
            String ns = "bio" + i + "-" + tag;
            ip("netns", "add", ns);
            hosts.add(ns);
            String port = "u" + i + tag;
            ip("-n", underlayNs, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", underlayNs, "link", "set", port, "master", "ul0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
        }
    }

    /** An address of the "outside world", in the underlay namespace; each host routes it through the underlay. */
    static final String OUTSIDE = "203.0.113.1";

    /** Puts {@link #OUTSIDE} on the underlay namespace's loopback and a route to it on every host. */
    void addOutside() {
        ip("-n", underlayNs, "addr", "add", OUTSIDE + "/32", "dev", "lo");
        for (String ns : hosts) {
            ip("-n", ns, "route", "add", OUTSIDE + "/32", "via", ETCD_ADDRESS);
        }
    }

    /** The underlay namespace (etcd's, and the outside world's). */
    String underlayNamespace() {
        return underlayNs;
    }

    /** Host {@code i}'s namespace (1-based). */
    String host(int i) {
        return hosts.get(i - 1);
    }

    /** Host {@code i}'s underlay address. */
    static String address(int i) {
        return "198.51.100.1" + i;
    }

    /** daemon.json of a member of this cluster: etcd, the advertised interface, a short TTL. */
    static String clusterConfig(int ttlSeconds) {
        return "{\"cluster-store\": \"etcd://" + ETCD_ADDRESS + ":" + ETCD_PORT + "\", \"cluster-advertise\": \"eth0\","
                + " \"cluster-store-opts\": {\"discovery.ttl\": \"" + ttlSeconds + "\"}}";
    }

    /** Starts etcd in the underlay namespace (data in the test directory) and waits until it answers. */
    void startEtcd() {
        startEtcd("http", List.of(), List.of());
    }

    /**
     * Certificates made with openssl in {@code dir}: {@code ca.pem} (the cluster's CA), etcd's
     * {@code server.pem}/{@code server.key} (for 198.51.100.1), a client's {@code client.pem}/{@code client.key}
     * signed by the CA, and {@code rogue.pem}/{@code rogue.key}: a client certificate of another CA.
     */
    Path makeCertificates(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:" + ETCD_ADDRESS
                    + "\nextendedKeyUsage=serverAuth\n");
            Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        for (String ca : List.of("ca", "rogue-ca")) {
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out", ca + ".pem",
                    "-days", "1", "-subj", "/CN=berth-it " + ca);
        }
        for (String[] cert : List.of(new String[] {"server", "ca"}, new String[] {"client", "ca"},
                new String[] {"rogue", "rogue-ca"})) {
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", cert[0] + ".key", "-out", cert[0] + ".csr",
                    "-subj", "/CN=berth-it " + cert[0]);
            openssl(dir, "x509", "-req", "-in", cert[0] + ".csr", "-CA", cert[1] + ".pem", "-CAkey", cert[1] + ".key",
                    "-CAcreateserial", "-out", cert[0] + ".pem", "-days", "1", "-extfile",
                    (cert[0].equals("server") ? "server" : "client") + ".ext");
        }
        return dir;
    }

    private void openssl(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec openssl \"$@\"", dir.toString()));
        argv.addAll(List.of(args));
        bed.run(argv).assertSuccess();
    }

    /** etcd with TLS on its client port and client certificates required (signed by {@code certs}' ca.pem). */
    void startEtcdTls(Path certs) {
        startEtcd("https", List.of("--cert-file", certs.resolve("server.pem").toString(),
                        "--key-file", certs.resolve("server.key").toString(),
                        "--trusted-ca-file", certs.resolve("ca.pem").toString(), "--client-cert-auth"),
                List.of("--cacert", certs.resolve("ca.pem").toString(), "--cert", certs.resolve("client.pem").toString(),
                        "--key", certs.resolve("client.key").toString()));
    }

    private void startEtcd(String scheme, List<String> tls, List<String> curlTls) {
        Path data = bed.dir().resolve("etcd-data");
        String client = scheme + "://" + ETCD_ADDRESS + ":" + ETCD_PORT;
        List<String> argv = new ArrayList<>(List.of(ETCD, "--name", "berth-it", "--data-dir", data.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", "http://127.0.0.1:2380", "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                "--initial-cluster", "berth-it=http://127.0.0.1:2380"));
        argv.addAll(tls);
        etcd = bed.spawn(HostFixture.inNamespace(underlayNs, argv.toArray(String[]::new)), "etcd");
        List<String> curl = new ArrayList<>(List.of("curl", "-s", "-m", "1"));
        curl.addAll(curlTls);
        curl.add(client + "/health");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!etcd.isAlive()) {
                throw new AssertionError("etcd exited with " + etcd.exitValue() + ": " + read("etcd.err"));
            }
            CommandResult health = bed.run(HostFixture.inNamespace(underlayNs, curl.toArray(String[]::new)));
            if (health.stdout().contains("\"health\":\"true\"")) {
                return;
            }
            pause(100);
        }
        throw new AssertionError("etcd not healthy after 20 s: " + read("etcd.err"));
    }

    /** Puts a key into etcd (plain HTTP) through its JSON gateway, as another etcd client (or a user) would. */
    void etcdPut(String key, String value) {
        CommandResult put = etcdCall("put", "{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(value) + "\"}");
        if (!put.stdout().contains("\"header\"")) {
            throw new AssertionError("etcd put " + key + ": " + put.describe());
        }
    }

    /** The keys under a prefix and their values, in key order. */
    java.util.Map<String, String> etcdRange(String prefix) {
        byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        end[end.length - 1]++;
        CommandResult range = etcdCall("range", "{\"key\":\"" + base64(prefix) + "\",\"range_end\":\""
                + java.util.Base64.getEncoder().encodeToString(end) + "\"}");
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode kv : new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(range.stdout()).path("kvs")) {
                out.put(unbase64(kv.path("key").asText()), unbase64(kv.path("value").asText()));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("etcd range " + prefix + ": " + range.describe(), e);
        }
        return out;
    }

    private CommandResult etcdCall(String what, String body) {
        return bed.run(HostFixture.inNamespace(underlayNs, "curl", "-s", "-m", "5", "-X", "POST", "-d", body,
                "http://" + ETCD_ADDRESS + ":" + ETCD_PORT + "/v3/kv/" + what));
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String unbase64(String text) {
        return new String(java.util.Base64.getDecoder().decode(text), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Kills etcd by PID and waits for it. */
    void stopEtcd() {
        if (etcd != null && etcd.isAlive()) {
            etcd.destroyForcibly();
            try {
                etcd.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<String> delete() {
        List<String> problems = new ArrayList<>();
        stopEtcd();
        if (etcd != null && etcd.isAlive()) {
            problems.add("etcd pid " + etcd.pid() + " survived SIGKILL");
        }
        List<String> all = new ArrayList<>(hosts);
        all.add(underlayNs);
        for (String ns : all) {
            if (Files.exists(HostFixture.netnsPath(ns))) {
                CommandResult deleted = bed.run(List.of("ip", "netns", "del", ns));
                if (deleted.exitCode() != 0) {
                    problems.add("could not delete namespace " + ns + ": " + deleted.describe());
                }
            }
        }
        return problems;
    }

    private void ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        bed.run(argv).assertSuccess();
    }

    private String read(String file) {
        try {
            return Files.readString(bed.dir().resolve(file));
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
