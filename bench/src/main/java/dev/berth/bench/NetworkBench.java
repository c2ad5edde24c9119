package dev.berth.bench;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code docker network create} / {@code docker network rm} as the daemon sees them: one
 * {@code POST /v1.50/networks/create} and one {@code DELETE /v1.50/networks/{id}} over the API
 * socket of a running daemon (param {@code socket}, or system property {@code berth.socket}):
 * berthd, or with the same requests dockerd or podman's Docker-compatible service (param
 * {@code api} sets the version in the path).
 *
 * <p>Mode {@link Mode#SingleShotTime} with batch size 1: every measurement iteration is exactly
 * one request, timed by JMH around that call alone, so the iteration scores are the per-operation
 * latencies (JMH prints their p50/p90/p95/...). Whatever is not the measured operation happens in
 * iteration-level setup/teardown, which JMH does not time:
 * <ul>
 *   <li>{@code create}: POST of a fresh name (timed); its DELETE runs in the teardown.</li>
 *   <li>{@code remove}: a network is created in the setup; the DELETE is timed.</li>
 * </ul>
 * The request body is byte for byte what the docker CLI 28.2 sends for
 * {@code docker network create NAME}. Param {@code connection}: {@code KEEPALIVE} (one connection
 * for the whole run; the default) or {@code FRESH} (connect per request, like one CLI process).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 20, batchSize = 1)
@Measurement(iterations = 200, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms64m", "-Xmx256m"})
public class NetworkBench {

    /** The API version in every request's path when none is given (what the docker CLI 28.2 uses). */
    static final String DEFAULT_API = "1.50";

    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-fA-F]{12,64})\"");

    /** The exact body of {@code docker network create NAME} (docker CLI 28.2). */
    static String createBody(String name) {
        return "{\"Driver\":\"bridge\",\"Scope\":\"\",\"IPAM\":{\"Driver\":\"default\",\"Options\":{},\"Config\":[]},"
                + "\"Internal\":false,\"Attachable\":false,\"Ingress\":false,\"ConfigOnly\":false,"
                + "\"ConfigFrom\":null,\"Options\":{},\"Labels\":{},\"Name\":\"" + name + "\"}";
    }

    static String idOf(UnixHttpClient.Response r) {
        Matcher m = ID.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no Id in create response: " + r.body());
        }
        return m.group(1);
    }

    /** One API connection per benchmark thread, and a source of fresh network names. */
    @State(Scope.Thread)
    public static class Api {
        /** Path of the daemon's API socket; empty means system property berth.socket, else /run/berth/berth.sock. */
        @Param("")
        public String socket;

        @Param("KEEPALIVE")
        public String connection;

        /**
         * API version in the request paths ({@code /v<api>/networks/create}). The same-client runs
         * use 1.41 for every daemon: the highest version dockerd 20.10 and podman 4.3 speak.
         */
        @Param(DEFAULT_API)
        public String api;

        UnixHttpClient http;
        private String base;
        private String prefix;
        private int seq;

        @Setup(Level.Trial)
        public void open() {
            http = UnixHttpClient.connect(socket, UnixHttpClient.Mode.valueOf(connection));
            base = "/v" + api;
            prefix = "bj" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6) + "-";
        }

        String freshName() {
            return prefix + seq++;
        }

        String create(String name) {
            return idOf(http.postJson(base + "/networks/create", createBody(name)).requireStatus(201, "create " + name));
        }

        void remove(String id) {
            http.delete(base + "/networks/" + id).requireStatus(204, "remove " + id);
        }

        @TearDown(Level.Trial)
        public void close() {
            http.close();
        }
    }

    /** The name for the next timed create; the network it made is removed untimed afterwards. */
    @State(Scope.Thread)
    public static class CreateOne {
        String name;
        String created;

        @Setup(Level.Iteration)
        public void pickName(Api api) {
            name = api.freshName();
            created = null;
        }

        @TearDown(Level.Iteration)
        public void removeIt(Api api) {
            api.remove(created != null ? created : name);
        }
    }

    /** A network created untimed, for the next timed remove. */
    @State(Scope.Thread)
    public static class RemoveOne {
        String id;

        @Setup(Level.Iteration)
        public void createIt(Api api) {
            id = api.create(api.freshName());
        }

        @TearDown(Level.Iteration)
        public void checkGone(Api api) {
            api.http.get(api.base + "/networks/" + id).requireStatus(404, "inspect after remove " + id);
        }
    }

    @Benchmark
    public String create(Api api, CreateOne one) {
        one.created = api.create(one.name);
        return one.created;
    }

    @Benchmark
    public void remove(Api api, RemoveOne one) {
        api.remove(one.id);
    }
}
