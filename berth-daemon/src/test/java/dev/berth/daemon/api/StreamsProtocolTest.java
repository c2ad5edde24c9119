package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.model.SandboxId;
import dev.berth.daemon.process.ContainerIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hijacked streams byte for byte over a raw socket: attach, exec, logs, resize. */
@org.junit.jupiter.api.Timeout(60)
class StreamsProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;
    private TestDaemon daemon;
    private FakeLauncher launcher;
    private FakeContainerIo io;

    @BeforeEach
    void start() {
        launcher = new FakeLauncher();
        io = new FakeContainerIo(launcher::exit);
        daemon = new TestDaemon(directory, launcher, io);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private String container(String name, boolean start) throws IOException {
        RawHttp.Response created = daemon.http().send("POST", "/v1.50/containers/create?name=" + name,
                "application/json", "{\"Image\":\"busybox\",\"Cmd\":[\"sh\"]}");
        assertEquals(201, created.status(), created.body());
        String id = JSON.readTree(created.body()).get("Id").asText();
        if (start) {
            assertEquals(204, daemon.http().send("POST", "/v1.50/containers/" + id + "/start", null, null).status());
        }
        return id;
    }

    /** One connection: the head as sent, then raw bytes both ways. */
    private static final class Conn implements AutoCloseable {
        final SocketChannel channel;
        final String head;

        Conn(Path socket, String request) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                one.clear();
                if (channel.read(one) < 0) {
                    break;
                }
                head.write(one.array()[0]);
            }
            this.head = head.toString(StandardCharsets.ISO_8859_1);
        }

        List<String> headLines() {
            return List.of(head.split("\r\n"));
        }

        void send(String text) throws IOException {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        /** Everything until the server closes the connection. */
        byte[] rest() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private Conn upgrade(String method, String target, String body) throws IOException {
        String request = method + " " + target + " HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: Docker-Client/28.2.2\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n") + "\r\n" + (body == null ? "" : body);
        return new Conn(daemon.socket, request);
    }

    /** Frames decoded as {@code 1:text} / {@code 2:text} per frame. */
    private static List<String> frames(byte[] bytes) {
        List<String> frames = new java.util.ArrayList<>();
        int i = 0;
        while (i < bytes.length) {
            assertTrue(i + 8 <= bytes.length, "truncated frame header");
            assertEquals(0, bytes[i + 1] | bytes[i + 2] | bytes[i + 3]);
            int size = ByteBuffer.wrap(bytes, i + 4, 4).getInt();
            frames.add(bytes[i] + ":" + new String(bytes, i + 8, size, StandardCharsets.UTF_8));
            i += 8 + size;
        }
        return frames;
    }

    @Test
    void attachAnswers101UpgradedThenFramesAndKeepsOutputFlowingAfterHalfClose() throws Exception {
        String id = container("c1", true);
        try (Conn conn = upgrade("POST", "/v1.50/containers/c1/attach?stream=1&stdin=1&stdout=1&stderr=1", null)) {
            List<String> lines = conn.headLines();
            assertEquals("HTTP/1.1 101 UPGRADED", lines.get(0));
            assertEquals(List.of("Content-Type: application/vnd.docker.multiplexed-stream", "Connection: Upgrade",
                    "Upgrade: tcp"), lines.subList(1, 4));
            assertTrue(lines.contains("Api-Version: 1.50"), lines::toString);
            conn.send("hello\n");
            conn.channel.shutdownOutput();
            // the echo comes before and "bye" after the half-close; then the server closes
            assertEquals(List.of("1:hello\n", "2:bye\n"), frames(conn.rest()));
        }
        JsonNode state = JSON.readTree(daemon.http().get("/v1.50/containers/" + id + "/json").body()).get("State");
        assertEquals("exited", state.get("Status").asText());
    }

    @Test
    void withATtyTheStreamIsRawAndSoIsItsContentType() throws Exception {
        String id = container("c1", true);
        io.tty.add(new SandboxId(id));
        try (Conn conn = upgrade("POST", "/v1.50/containers/c1/attach?stream=1&stdin=1&stdout=1&stderr=1", null)) {
            assertEquals("Content-Type: application/vnd.docker.raw-stream", conn.headLines().get(1));
            conn.send("ls\n");
            conn.channel.shutdownOutput();
            assertEquals("ls\nbye\n", new String(conn.rest(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void bytesSentRightBehindTheRequestReachStdin() throws Exception {
        container("c1", true);
        String request = "POST /v1.50/containers/c1/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: x\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nearly\n";
        try (Conn conn = new Conn(daemon.socket, request)) {
            conn.channel.shutdownOutput();
            // stdout only: the stderr "bye" is not carried
            assertEquals(List.of("1:early\n"), frames(conn.rest()));
        }
    }

    @Test
    void aClientThatHalfClosesRightBehindTheRequestStillGetsTheOutput() throws Exception {
        // the docker CLI without stdin half-closes at once: the server may see that EOF before it switched
        container("c1", true);
        String request = "POST /v1.50/containers/c1/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: x\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(daemon.socket));
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            FakeContainerIo.Pipe stdin = io.attachments.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(stdin != null, "no attachment");
            stdin.type("hello\n");
            stdin.close();
            String all = RawHttp.readAll(channel);
            String head = all.substring(0, all.indexOf("\r\n\r\n") + 4);
            assertTrue(head.startsWith("HTTP/1.1 101 UPGRADED"), head);
            assertEquals(List.of("1:hello\n", "2:bye\n"), frames(all.substring(head.length()).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void withoutUpgradeHeaderIts200AndTheOutputStreams() throws Exception {
        container("c1", true);
        // stdin is the request body: "in\n", then its end
        RawHttp.Response response = daemon.http().send("POST", "/v1.50/containers/c1/attach?stream=1&stdin=1&stdout=1"
                + "&stderr=1", "application/octet-stream", "in\n");
        assertEquals(200, response.status());
        assertEquals("application/vnd.docker.raw-stream", response.header("Content-Type").orElseThrow());
        assertEquals(List.of("1:in\n", "2:bye\n"), frames(dechunk(response.body())));
    }

    @Test
    void anErrorAfterTheHijackGoesInBandThenTheConnectionCloses() throws Exception {
        String id = container("c1", true);
        io.refuseAttach.add(new SandboxId(id));
        try (Conn conn = upgrade("POST", "/v1.50/containers/c1/attach?stream=1&stdout=1&stderr=1", null)) {
            assertEquals("HTTP/1.1 101 UPGRADED", conn.headLines().get(0));
            assertEquals(List.of("2:Error: container " + id + " is not running\n"), frames(conn.rest()));
        }
    }

    @Test
    void attachRefusesBadRequestsBeforeTheHijack() throws Exception {
        String id = container("c1", true);
        RawHttp http = daemon.http();
        RawHttp.Response neither = http.send("POST", "/v1.50/containers/c1/attach?stdout=1", null, null);
        assertEquals(400, neither.status());
        assertEquals(404, http.send("POST", "/v1.50/containers/nosuch/attach?stream=1", null, null).status());
        launcher.exit(new SandboxId(id), 0);
        RawHttp.Response exited = http.send("POST", "/v1.50/containers/c1/attach?stream=1&stdout=1", null, null);
        assertEquals(409, exited.status());
        assertTrue(exited.body().contains("You cannot attach to a stopped container"), exited.body());
        io.log(new SandboxId(id), Instant.parse("2026-12-05T06:00:00Z"), ContainerIo.Stream.STDOUT, "old\n");
        try (Conn conn = upgrade("POST", "/v1.50/containers/c1/attach?logs=1&stdout=1", null)) {
            assertEquals(List.of("1:old\n"), frames(conn.rest()));
        }
    }

    @Test
    void resizeNeedsARunningContainerAndNumbers() throws Exception {
        String id = container("c1", false);
        RawHttp http = daemon.http();
        RawHttp.Response created = http.send("POST", "/v1.50/containers/c1/resize?h=30&w=100", null, null);
        assertEquals(409, created.status());
        assertEquals("{\"message\":\"container " + id + " is not running\"}\n", created.body());
        http.send("POST", "/v1.50/containers/c1/start", null, null);
        RawHttp.Response bad = http.send("POST", "/v1.50/containers/c1/resize?h=x&w=100", null, null);
        assertEquals(400, bad.status());
        assertEquals("{\"message\":\"strconv.ParseUint: parsing \\\"x\\\": invalid syntax\"}\n", bad.body());
        assertEquals(200, http.send("POST", "/v1.50/containers/c1/resize?h=30&w=100", null, null).status());
        assertEquals(List.of(id + " 30x100"), io.resizes);
    }

    private String exec(String container, String body) throws IOException {
        RawHttp.Response created = daemon.http().send("POST", "/v1.50/containers/" + container + "/exec",
                "application/json", body);
        assertEquals(201, created.status(), created.body());
        return JSON.readTree(created.body()).get("Id").asText();
    }

    @Test
    void execStartHijacksAndTheExitCodeIsThereWhenTheConnectionCloses() throws Exception {
        String cid = container("c1", true);
        String id = exec("c1", "{\"AttachStdout\":true,\"AttachStderr\":true,\"Cmd\":[\"fail\"]}");
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        JsonNode before = JSON.readTree(daemon.http().get("/v1.50/exec/" + id + "/json").body());
        assertEquals(false, before.get("Running").asBoolean());
        assertTrue(before.get("ExitCode").isNull());
        try (Conn conn = upgrade("POST", "/v1.50/exec/" + id + "/start", "{\"Detach\":false,\"Tty\":false}")) {
            assertEquals("HTTP/1.1 101 UPGRADED", conn.headLines().get(0));
            conn.channel.shutdownOutput();
            assertEquals(List.of("1:trying\n", "2:oops\n"), frames(conn.rest()));
        }
        String inspect = daemon.http().get("/v1.50/exec/" + id + "/json").body();
        JsonNode after = JSON.readTree(inspect);
        List<String> keys = new java.util.ArrayList<>();
        after.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("ID", "Running", "ExitCode", "ProcessConfig", "OpenStdin", "OpenStderr", "OpenStdout",
                "CanRemove", "ContainerID", "DetachKeys", "Pid"), keys);
        assertEquals(false, after.get("Running").asBoolean());
        assertEquals(3, after.get("ExitCode").asInt());
        assertEquals(cid, after.get("ContainerID").asText());
        assertEquals("{\"tty\":false,\"entrypoint\":\"fail\",\"arguments\":[],\"privileged\":false,\"user\":\"\"}",
                after.get("ProcessConfig").toString());
        RawHttp.Response again = daemon.http().send("POST", "/v1.50/exec/" + id + "/start", "application/json",
                "{\"Detach\":true}");
        assertEquals(409, again.status());
    }

    @Test
    void bytesTheClientSendsAfterTheProcessEndedDoNotResetTheConnection() throws Exception {
        container("c1", true);
        String id = exec("c1", "{\"AttachStdout\":true,\"AttachStderr\":true,\"Cmd\":[\"fail\"]}");
        try (Conn conn = upgrade("POST", "/v1.50/exec/" + id + "/start", "{\"Detach\":false,\"Tty\":false}")) {
            // no stdin attached, so nothing on the server reads this: closing over it unread would
            // make the client's next read fail with ECONNRESET
            conn.send("\u0004");
            assertEquals(List.of("1:trying\n", "2:oops\n"), frames(conn.rest()));
        }
        assertEquals(3, JSON.readTree(daemon.http().get("/v1.50/exec/" + id + "/json").body()).get("ExitCode").asInt());
    }

    @Test
    void execWithStdinEchoesUntilHalfCloseAndTtyIsRaw() throws Exception {
        container("c1", true);
        String id = exec("c1", "{\"AttachStdin\":true,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":true,"
                + "\"ConsoleSize\":[30,100],\"Cmd\":[\"cat\"]}");
        try (Conn conn = upgrade("POST", "/v1.50/exec/" + id + "/start",
                "{\"Detach\":false,\"Tty\":true,\"ConsoleSize\":[40,120]}")) {
            assertEquals("Content-Type: application/vnd.docker.raw-stream", conn.headLines().get(1));
            conn.send("abc");
            conn.channel.shutdownOutput();
            assertEquals("abc", new String(conn.rest(), StandardCharsets.UTF_8));
        }
        ContainerIo.ExecSpec spec = io.execs.getFirst();
        assertEquals(List.of(40, 120), List.of(spec.height(), spec.width()));
        assertEquals(0, JSON.readTree(daemon.http().get("/v1.50/exec/" + id + "/json").body()).get("ExitCode").asInt());
    }

    @Test
    void detachedExecIsAPlain200AndItsExitIsRecorded() throws Exception {
        container("c1", true);
        String id = exec("c1", "{\"Cmd\":[\"exit\",\"5\"]}");
        RawHttp.Response started = daemon.http().send("POST", "/v1.50/exec/" + id + "/start", "application/json",
                "{\"Detach\":true}");
        assertEquals(200, started.status());
        assertEquals("", started.body());
        JsonNode inspect;
        do {
            inspect = JSON.readTree(daemon.http().get("/v1.50/exec/" + id + "/json").body());
        } while (inspect.get("ExitCode").isNull());
        assertEquals(5, inspect.get("ExitCode").asInt());
    }

    @Test
    void execErrorsAsMoby() throws Exception {
        String cid = container("c1", false);
        RawHttp http = daemon.http();
        RawHttp.Response missing = http.send("POST", "/v1.50/containers/nosuch/exec", "application/json", "{\"Cmd\":[\"ls\"]}");
        assertEquals(404, missing.status());
        RawHttp.Response notRunning = http.send("POST", "/v1.50/containers/c1/exec", "application/json",
                "{\"Cmd\":[\"ls\"]}");
        assertEquals(409, notRunning.status());
        assertEquals("{\"message\":\"container " + cid + " is not running\"}\n", notRunning.body());
        http.send("POST", "/v1.50/containers/c1/start", null, null);
        assertEquals(400, http.send("POST", "/v1.50/containers/c1/exec", "application/json", "{\"Cmd\":[]}").status());
        RawHttp.Response noExec = http.send("POST", "/v1.50/exec/abc/start", "application/json", "{}");
        assertEquals(404, noExec.status());
        assertEquals("{\"message\":\"No such exec instance: abc\"}\n", noExec.body());
        assertEquals(404, http.get("/v1.50/exec/abc/json").status());
    }

    @Test
    void execsGoWithTheirContainer() throws Exception {
        container("c1", true);
        String id = exec("c1", "{\"Cmd\":[\"ls\"]}");
        assertEquals(200, daemon.http().get("/v1.50/exec/" + id + "/json").status());
        assertEquals(204, daemon.http().send("DELETE", "/v1.50/containers/c1?force=1", null, null).status());
        assertEquals(404, daemon.http().get("/v1.50/exec/" + id + "/json").status());
    }

    /** The body of a chunked response, as bytes. */
    private static byte[] dechunk(String body) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int eol = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, eol).strip(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(raw, eol + 2, size);
            i = eol + 2 + size + 2;
        }
    }

    private List<String> logFrames(String target) throws IOException {
        RawHttp.Response response = daemon.http().get(target);
        assertEquals(200, response.status(), response.body());
        return frames(dechunk(response.body()));
    }

    @Test
    void logsAreFramedWithDockersTimestampsTailSinceAndUntil() throws Exception {
        String id = container("c1", true);
        SandboxId sid = new SandboxId(id);
        io.log(sid, Instant.parse("2026-12-05T06:00:01.5Z"), ContainerIo.Stream.STDOUT, "one\n");
        io.log(sid, Instant.parse("2026-12-05T06:00:02.000000123Z"), ContainerIo.Stream.STDERR, "two\n");
        io.log(sid, Instant.parse("2026-12-05T06:00:03Z"), ContainerIo.Stream.STDOUT, "three\n");
        RawHttp http = daemon.http();
        RawHttp.Response all = http.get("/v1.50/containers/c1/logs?stdout=1&stderr=1&tail=all&timestamps=1");
        assertEquals("application/vnd.docker.multiplexed-stream", all.header("Content-Type").orElseThrow());
        assertEquals(List.of("1:2026-12-05T06:00:01.500000000Z one\n", "2:2026-12-05T06:00:02.000000123Z two\n",
                "1:2026-12-05T06:00:03.000000000Z three\n"), frames(dechunk(all.body())));
        assertEquals(List.of("2:two\n", "1:three\n"), logFrames("/v1.50/containers/c1/logs?stdout=1&stderr=1&tail=2"));
        assertEquals(List.of("1:one\n", "1:three\n"), logFrames("/v1.50/containers/c1/logs?stdout=1"));
        long since = Instant.parse("2026-12-05T06:00:02Z").getEpochSecond();
        assertEquals(List.of("2:two\n"), logFrames("/v1.50/containers/c1/logs?stdout=1&stderr=1&since=" + since
                + ".000000000&until=2026-12-05T06:00:02.5Z"));
        assertEquals(400, http.get("/v1.50/containers/c1/logs").status());
        assertEquals(400, http.get("/v1.50/containers/c1/logs?stdout=1&since=yesterday").status());
        io.tty.add(sid);
        RawHttp.Response tty = http.get("/v1.50/containers/c1/logs?stdout=1&stderr=1&tail=1");
        assertEquals("application/vnd.docker.raw-stream", tty.header("Content-Type").orElseThrow());
    }
}
