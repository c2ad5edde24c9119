package dev.berth.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training run for the CLI's AOT cache (JEP 483/514): the launcher runs
 * {@code java -XX:AOTCacheOutput=berth-cli.aot -cp berth-cli.jar dev.berth.cli.AotTraining} once
 * after each build, and every later {@code berth} call starts from that cache (classes already
 * loaded and linked, lambdas and string concatenations already bound).
 *
 * <p>The run plays the common commands ({@code network ls} in its forms, {@code inspect},
 * {@code create}/{@code rm}, {@code ps}, {@code version}, {@code run --rm}, help and a daemon
 * error) through {@link Main#run} against a canned Engine API on a temporary Unix socket, so the
 * same code paths as against berthd are taken, without a daemon and without root. Nothing it
 * prints is kept.
 */
public final class AotTraining {

    private static final String NETWORK = """
            {"Name":"%s","Id":"%s","Created":"2026-12-05T08:47:29.709952456Z","Scope":"local","Driver":"bridge",\
            "EnableIPv4":true,"EnableIPv6":false,"IPAM":{"Driver":"default","Options":null,\
            "Config":[{"Subnet":"172.17.0.0/16","Gateway":"172.17.0.1"}]},"Internal":false,"Attachable":false,\
            "Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},\
            "Options":{"com.docker.network.bridge.name":"docker0","com.docker.network.driver.mtu":"1500"},"Labels":{}}""";
    private static final String CONTAINER_ID = "bdf6b2fd90bcc93eda4354d42ee304f7eaed63df35082b46f9e8c8f93eed7496";
    private static final String CONTAINERS = """
            [{"Id":"%s","Names":["/witty_wozniak"],"Image":"berth/sandbox","ImageID":"","Command":"sleep 100",\
            "Created":1796460772,"Ports":[],"Labels":{},"State":"running","Status":"Up 2 seconds",\
            "HostConfig":{"NetworkMode":"bridge"},"NetworkSettings":{"Networks":{"bridge":{"IPAMConfig":null,\
            "Links":null,"Aliases":null,"MacAddress":"ee:4c:85:b5:03:c6","DriverOpts":null,"GwPriority":0,\
            "NetworkID":"32f84c2194c9a706d241679881a4ae246e74ac9e8a6b8afa24c8386a347e13fd","EndpointID":"",\
            "Gateway":"172.17.0.1","IPAddress":"172.17.0.2","IPPrefixLen":16,"IPv6Gateway":"",\
            "GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}},"Mounts":[]}]""".formatted(CONTAINER_ID);
    private static final String VERSION = """
            {"Platform":{"Name":"Berth"},"Components":[{"Name":"Engine","Version":"0.1.0","Details":\
            {"ApiVersion":"1.50","Arch":"amd64","MinAPIVersion":"1.24","Os":"linux"}}],"Version":"0.1.0",\
            "ApiVersion":"1.50","MinAPIVersion":"1.24","GitCommit":"","GoVersion":"java25","Os":"linux",\
            "Arch":"amd64","KernelVersion":"6.1.0","BuildTime":"2026-12-05T08:47:29.925404696Z"}""";

    /** The commands played, in order. */
    static final List<List<String>> COMMANDS = List.of(
            List.of("--help"),
            List.of("--version"),
            List.of("network", "ls"),
            List.of("network", "ls", "-q"),
            List.of("network", "ls", "--no-trunc", "--format", "json"),
            List.of("network", "ls", "--format", "{{.Name}}\\t{{.Driver}}"),
            List.of("network", "ls", "--help"),
            List.of("network", "inspect", "bridge"),
            List.of("network", "inspect", "missing"),
            List.of("network", "create", "trained"),
            List.of("network", "rm", "trained"),
            List.of("ps"),
            List.of("ps", "-a", "-q"),
            List.of("version"),
            List.of("run", "--rm", "--network", "trained", "--", "true"),
            List.of("rm", "-f", CONTAINER_ID));

    private AotTraining() {
    }

    /** Plays {@link #COMMANDS} twice; exits non-zero only when the canned daemon could not be set up. */
    public static void main(String[] args) throws IOException {
        play(2, new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
    }

    /**
     * Plays {@link #COMMANDS} {@code rounds} times against a canned daemon, printing to
     * {@code sink}; returns the exit statuses of the last round, in command order.
     */
    static List<Integer> play(int rounds, PrintStream sink) throws IOException {
        Path dir = Files.createTempDirectory("berth-aot-training");
        Path socket = dir.resolve("api.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofPlatform().daemon(true).name("canned-daemon").start(() -> serve(server));
            // the real environment (its classes are in every call) with the canned daemon's address
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("BERTH_HOST", "unix://" + socket);
            List<Integer> statuses = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                statuses.clear();
                for (List<String> command : COMMANDS) {
                    statuses.add(Main.run(command.toArray(String[]::new), env, sink, sink));
                }
            }
            return statuses;
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void serve(ServerSocketChannel server) {
        while (server.isOpen()) {
            try (SocketChannel connection = server.accept()) {
                answer(Channels.newInputStream(connection), Channels.newOutputStream(connection));
            } catch (IOException e) {
                return; // the server was closed: training is over
            }
        }
    }

    /** Reads one request (head, then a Content-Length body) and writes its canned reply. */
    private static void answer(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) { // up to the empty line: CR LF CR LF
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        for (String line : lines) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                in.readNBytes(Integer.parseInt(line.substring(15).strip()));
            }
        }
        String method = requestLine[0];
        String path = requestLine[1].replaceFirst("^/v[0-9.]+/", "/").replaceFirst("\\?.*", "");
        Reply reply = reply(method, path);
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        String response = "HTTP/1.1 " + reply.status() + " " + (reply.status() < 400 ? "OK" : "Error") + "\r\n"
                + "Api-Version: 1.50\r\nServer: Berth/0.1.0 (linux)\r\nContent-Type: " + reply.contentType() + "\r\n"
                + "Content-Length: " + (method.equals("HEAD") ? 0 : body.length) + "\r\nConnection: close\r\n\r\n";
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        if (!method.equals("HEAD")) {
            out.write(body);
        }
        out.flush();
    }

    private record Reply(int status, String contentType, String body) {
        static Reply json(String body) {
            return new Reply(200, "application/json", body);
        }

        static Reply none() {
            return new Reply(204, "text/plain", "");
        }
    }

    private static Reply reply(String method, String path) {
        String bridge = NETWORK.formatted("bridge", "32f84c2194c9a706d241679881a4ae246e74ac9e8a6b8afa24c8386a347e13fd");
        String trained = NETWORK.formatted("trained", "728fc7aab79e48ab8edab81838a0fb79fdac686cce21320b0f4008c32bf91b6c");
        return switch (method + " " + path) {
            case "HEAD /_ping", "GET /_ping" -> new Reply(200, "text/plain; charset=utf-8", "OK");
            case "GET /networks" -> Reply.json("[" + bridge + "," + trained + "]\n");
            case "GET /networks/bridge" -> Reply.json(bridge + "\n");
            case "POST /networks/create" -> new Reply(201, "application/json",
                    "{\"Id\":\"728fc7aab79e48ab8edab81838a0fb79fdac686cce21320b0f4008c32bf91b6c\",\"Warning\":\"\"}\n");
            case "DELETE /networks/trained" -> Reply.none();
            case "GET /containers/json" -> Reply.json(CONTAINERS + "\n");
            case "GET /version" -> Reply.json(VERSION + "\n");
            case "POST /containers/create" -> new Reply(201, "application/json",
                    "{\"Id\":\"" + CONTAINER_ID + "\",\"Warnings\":[]}\n");
            default -> other(method, path);
        };
    }

    private static Reply other(String method, String path) {
        if (path.startsWith("/containers/" + CONTAINER_ID)) {
            String rest = path.substring(("/containers/" + CONTAINER_ID).length());
            return switch (method + " " + rest) {
                case "POST /start", "DELETE " -> Reply.none();
                case "GET /logs" -> new Reply(200, "application/vnd.docker.multiplexed-stream", "");
                case "POST /wait" -> Reply.json("{\"Error\":null,\"StatusCode\":0}\n");
                default -> new Reply(404, "application/json", "{\"message\":\"page not found\"}\n");
            };
        }
        String what = path.startsWith("/networks/") ? "network " + path.substring(10) : "page";
        return new Reply(404, "application/json", "{\"message\":\"" + what + " not found\"}\n");
    }
}
