package dev.berth.bench;

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
 * {@code docker network connect B probe} / {@code docker network disconnect B probe} as the
 * daemon sees them: one {@code POST /v1.50/networks/B/connect} and one
 * {@code POST /v1.50/networks/B/disconnect} for a running sandbox ({@code probe}, created on
 * another network A), while B already holds {@code k} other sandboxes. The daemon is berthd, or
 * with the same requests dockerd or podman's Docker-compatible service (param {@code api}: the
 * version in the path; the containers there run {@code sleep}, see {@link AttachFill}).
 *
 * <p>The benchmark does not fill B: {@link AttachFill} does that (untimed for this benchmark,
 * timed on its own), and {@code bench/run.sh attach} runs this benchmark once per size with
 * {@code -p k=K}. The trial setup checks that B holds exactly {@code k} sandboxes besides the
 * probe and that the probe is not on B.
 *
 * <p>Mode {@link Mode#SingleShotTime}, batch size 1, as {@link NetworkBench}: every measurement
 * iteration is exactly one request, timed by JMH around that call alone.
 * <ul>
 *   <li>{@code connect}: connect is timed; the disconnect runs in the iteration teardown.</li>
 *   <li>{@code disconnect}: the connect runs in the iteration setup; the disconnect is timed.</li>
 * </ul>
 * Param {@code settleMs}: an untimed pause after each disconnect (see the field).
 * The request bodies are what the docker CLI 28.2 sends:
 * {@code {"Container":"probe","EndpointConfig":{}}} and {@code {"Container":"probe","Force":false}}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 100, batchSize = 1)
@Measurement(iterations = 100, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms64m", "-Xmx256m"})
public class AttachBench {

    private static final Pattern ENDPOINT = Pattern.compile("\"EndpointID\"\\s*:");

    @State(Scope.Thread)
    public static class Api {
        /** Path of the daemon's API socket; empty means system property berth.socket, else /run/berth/berth.sock. */
        @Param("")
        public String socket;

        /** Network B, which holds the k sandboxes. */
        @Param("bb")
        public String network;

        /** The running sandbox that is connected to B and disconnected again. */
        @Param("bprobe")
        public String probe;

        /** How many sandboxes (besides the probe) B holds during this trial: checked, not made. */
        @Param("1")
        public int k;

        @Param("KEEPALIVE")
        public String connection;

        /** API version in the request paths, as {@link NetworkBench.Api#api}. */
        @Param(NetworkBench.DEFAULT_API)
        public String api;

        /**
         * Untimed pause (ms) after each disconnect before the next timed connect. berthd deletes a
         * disconnected veth in the background (LinkReaper, 15–40 ms of kernel time) and a connect
         * into the same sandbox first waits for that deletion; 0 measures back-to-back
         * disconnect/connect (the wait is in the connect), 50 a connect with nothing pending.
         */
        @Param("0")
        public int settleMs;

        UnixHttpClient http;
        private String base;
        private String connectBody;
        private String disconnectBody;

        @Setup(Level.Trial)
        public void open() {
            http = UnixHttpClient.connect(socket, UnixHttpClient.Mode.valueOf(connection));
            base = "/v" + api;
            connectBody = "{\"Container\":\"" + probe + "\",\"EndpointConfig\":{}}";
            disconnectBody = "{\"Container\":\"" + probe + "\",\"Force\":false}";
            int onB = attached();
            if (onB == k + 1) { // a probe left connected by an interrupted trial
                disconnect();
                onB = attached();
            }
            if (onB != k) {
                throw new IllegalStateException("network " + network + " holds " + onB
                        + " sandboxes, expected k=" + k + " (fill it with AttachFill first)");
            }
        }

        /** Sandboxes on B now (entries of the network's Containers map). */
        int attached() {
            String body = http.get(base + "/networks/" + network).requireStatus(200, "inspect " + network).body();
            Matcher m = ENDPOINT.matcher(body);
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        }

        void connect() {
            http.postJson(base + "/networks/" + network + "/connect", connectBody)
                    .requireStatus(200, "connect " + probe + " to " + network);
        }

        void disconnect() {
            http.postJson(base + "/networks/" + network + "/disconnect", disconnectBody)
                    .requireStatus(200, "disconnect " + probe + " from " + network);
        }

        @TearDown(Level.Trial)
        public void close() {
            int onB = attached();
            http.close();
            if (onB != k) {
                throw new IllegalStateException("after the trial " + network + " holds " + onB + ", expected " + k);
            }
        }
    }

    /** After a timed connect: disconnect again, untimed. */
    @State(Scope.Thread)
    public static class Connected {
        @TearDown(Level.Iteration)
        public void undo(Api api) throws InterruptedException {
            api.disconnect();
            if (api.settleMs > 0) {
                Thread.sleep(api.settleMs);
            }
        }
    }

    /** Before a timed disconnect: connect, untimed (and the settle pause before it). */
    @State(Scope.Thread)
    public static class ToDisconnect {
        @Setup(Level.Iteration)
        public void prepare(Api api) throws InterruptedException {
            if (api.settleMs > 0) {
                Thread.sleep(api.settleMs);
            }
            api.connect();
        }
    }

    @Benchmark
    public void connect(Api api, Connected after) {
        api.connect();
    }

    @Benchmark
    public void disconnect(Api api, ToDisconnect before) {
        api.disconnect();
    }
}
