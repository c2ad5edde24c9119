package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import dev.berth.it.fixture.UnixHttpClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API socket under hostile or careless clients: mistakes in connect and disconnect are 400s,
 * bodies past the limit 413s, a burst of connections is queued rather than refused, and the
 * socket and every file Berth writes have dockerd's permissions. Nothing a refused request sent
 * changes the kernel or the network list.
 */
@ExtendWith(TestbedExtension.class)
class ApiHardeningIT {
    private static final String JSON = "application/json";
    private static final String TOO_LARGE = "request body too large: the Engine API accepts at most 4194304 bytes (4 MiB)";

    @Test
    void connectAndDisconnectMistakesAre400AndChangeNothing(Testbed bed) {
        bed.daemon().start();
        Bridges.create(bed.docker(), "n1");
        Bridges.create(bed.docker(), "n2");
        String id = bed.docker().ok("create", "--name", "c1", "--network", "n1", "busybox").stdout().strip();
        Snapshot before = Snapshot.take(bed);
        JsonNode n1 = bed.api().send("GET", "/v1.50/networks/n1").json();
        assertError(post(bed, "/v1.50/networks/n1/connect", "null"), 400, "invalid name or ID supplied: \"\"");
        assertError(post(bed, "/v1.50/networks/n1/disconnect", "null"), 400, "invalid name or ID supplied: \"\"");
        assertError(post(bed, "/v1.50/networks/bridge/disconnect", "{\"Container\":\"c1\"}"), 400,
                "container " + id + " is not connected to the network bridge");
        CommandResult cli = bed.docker().run("network", "disconnect", "bridge", "c1");
        assertEquals(1, cli.exitCode(), cli::describe);
        assertEquals("Error response from daemon: container " + id + " is not connected to the network bridge",
                cli.stderr().strip());
        assertError(post(bed, "/v1.50/networks/n2/connect", "{\"Container\":\"c1\",\"EndpointConfig\":{\"Aliases\":"
                + "[\"" + "a".repeat(5000) + "\"]}}"), 400,
                "invalid aliases: one is 5000 characters long, at most 4096 are allowed");
        assertEquals(before, Snapshot.take(bed));
        assertEquals(n1, bed.api().send("GET", "/v1.50/networks/n1").json(), "endpoints changed");
        bed.docker().ok("rm", "-f", "c1");
    }

    @Test
    void oversizedInputIsRefusedEarlyAndChangesNothing(Testbed bed) throws IOException {
        bed.daemon().start();
        Snapshot before = Snapshot.take(bed);
        byte[] tenMegabyteName = ("{\"Name\":\"" + "n".repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        UnixHttpClient api = bed.api();
        assertError(api.sendRaw("POST", head("Content-Length: " + tenMegabyteName.length), tenMegabyteName), 413,
                TOO_LARGE);
        byte[] padded = new byte[5 * 1024 * 1024];
        Arrays.fill(padded, (byte) ' ');
        padded[0] = '{';
        padded[padded.length - 1] = '}';
        assertError(api.sendRaw("POST", head("Transfer-Encoding: chunked"), chunked(padded)), 413, TOO_LARGE);
        HttpReply longString = api.sendRaw("POST", head("Transfer-Encoding: chunked"), chunked(tenMegabyteName));
        assertEquals(400, longString.status(), longString::toString);
        assertTrue(longString.json().path("message").asText().startsWith("invalid JSON: String value length"),
                longString::toString);
        assertError(post(bed, "/v1.50/networks/create", "{\"Name\":\"" + "n".repeat(256) + "\"}"), 400,
                "invalid network name: it is 256 characters long, at most 255 are allowed");
        StringBuilder labels = new StringBuilder("{\"Name\":\"many\",\"Labels\":{");
        for (int i = 0; i < 300; i++) {
            labels.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":\"v\"");
        }
        assertError(post(bed, "/v1.50/networks/create", labels.append("}}").toString()), 400,
                "invalid labels: 300 given, at most 256 are allowed");
        HttpReply bigHeader = api.sendRaw("GET", ("GET /v1.50/networks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: "
                + "b".repeat(70_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), new byte[0]);
        assertEquals(431, bigHeader.status(), bigHeader::toString);
        assertEquals(before, Snapshot.take(bed));
        bed.daemon().restart();
        assertEquals(before.networks(), Snapshot.take(bed).networks(), "store changed by refused input");
    }

    /** Go's dialer connects without blocking: past the listen backlog that is EAGAIN, not a wait. */
    @Test
    void threeHundredSimultaneousConnectionsAreAllAnswered(Testbed bed) throws IOException {
        bed.daemon().start();
        List<SocketChannel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channels.add(channel);
                channel.configureBlocking(false);
                channel.connect(UnixDomainSocketAddress.of(bed.daemon().socket()));
            }
            byte[] ping = "GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (SocketChannel channel : channels) {
                channel.configureBlocking(true);
                channel.write(ByteBuffer.wrap(ping));
            }
            int answered = 0;
            for (SocketChannel channel : channels) {
                answered += UnixHttpClient.readReply("GET", channel).status() == 200 ? 1 : 0;
            }
            assertEquals(300, answered);
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
    }

    /**
     * Started under umask 000 with {@code -G daemon}: the socket is 0660 in group daemon, and after
     * a network, a sandbox and a process nothing under the data or exec root is writable by others.
     */
    @Test
    void socketGroupAndNothingWorldWritable(Testbed bed) throws IOException {
        bed.daemon().withUmask("000").start("-G", "daemon");
        Path socket = bed.daemon().socket();
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        int daemonGid = Integer.parseInt(bed.run(List.of("getent", "group", "daemon")).stdout().split(":")[2]);
        assertEquals(daemonGid, (Integer) Files.getAttribute(socket, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        Bridges.create(bed.docker(), "n1");
        bed.docker().ok("create", "--name", "c1", "--network", "n1", "busybox");
        bed.berth().withFlag(socket, "run", "-d", "--name", "r1", "--network", "n1", "--", "sleep", "60")
                .assertSuccess();
        Path data = bed.dir().resolve("data");
        Path exec = bed.dir().resolve("exec");
        assertEquals("rwx--x--x", mode(data));
        assertEquals("rwx--x--x", mode(exec));
        assertEquals("rwx------", mode(exec.resolve("sandboxes")));
        assertEquals("rw-------", mode(data.resolve("berth.db")));
        // Images hold what their authors made (a 1777 /tmp): only root may enter the directories
        // they live in, as with Docker's overlay2 directory; what is under them is not checked.
        Path images = data.resolve("image");
        Path roots = exec.resolve("rootfs");
        assertEquals("rwx------", mode(images));
        List<String> open = new ArrayList<>();
        for (Path root : List.of(data, exec)) {
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(p -> !Files.isSymbolicLink(p))
                        .filter(p -> !p.startsWith(images) || p.equals(images))
                        .filter(p -> !p.startsWith(roots) || p.equals(roots))
                        .filter(p -> permissions(p).contains(PosixFilePermission.OTHERS_WRITE))
                        .forEach(p -> open.add(p + " " + mode(p)));
            }
        }
        assertEquals(List.of(), open, "world-writable");
        bed.berth().withFlag(socket, "rm", "-f", "r1").assertSuccess();
        bed.docker().ok("rm", "-f", "c1");
    }

    @Test
    void aMissingSocketGroupStopsStartUpBeforeTouchingAnything(Testbed bed) {
        bed.daemon().launch("-G", "no-such-group-h2");
        Optional<Integer> code = bed.daemon().awaitExit(Duration.ofSeconds(20));
        assertNotEquals(Optional.of(0), code, bed.daemon()::logs);
        assertTrue(code.isPresent(), "daemon kept running without its socket group");
        assertTrue(bed.daemon().stderr().contains("group no-such-group-h2 not found"), bed.daemon()::logs);
        assertTrue(bed.host().hostLink("docker0").isEmpty(), "a failed start must not touch the kernel");
        assertTrue(!Files.exists(bed.daemon().socket()), "no socket without its group");
    }

    private static HttpReply post(Testbed bed, String target, String json) {
        return bed.api().send("POST", target, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertError(HttpReply reply, int status, String message) {
        assertEquals(status, reply.status(), reply::toString);
        assertEquals(Optional.of(JSON), reply.header("Content-Type"), reply::toString);
        assertEquals(message, reply.json().path("message").asText(), reply::toString);
    }

    private static byte[] head(String framing) {
        return ("POST /v1.50/networks/create HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + JSON + "\r\n"
                + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += 65536) {
            int n = Math.min(65536, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static java.util.Set<PosixFilePermission> permissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String mode(Path path) {
        return PosixFilePermissions.toString(permissions(path));
    }

    /** What refused input must not change: the host namespace's links and the network list. */
    private record Snapshot(List<LinkState> links, JsonNode networks) {
        static Snapshot take(Testbed bed) {
            HttpReply list = bed.api().send("GET", "/v1.50/networks");
            assertEquals(200, list.status(), list::toString);
            return new Snapshot(bed.host().hostLinks(), list.json());
        }
    }
}
