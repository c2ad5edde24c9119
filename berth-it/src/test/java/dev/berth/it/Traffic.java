package dev.berth.it;

import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real traffic between namespaces: "who am I" TCP servers (v4 and v6 on one socket) that answer
 * with the peer address they see, a client that prints that answer or {@code FAIL <reason>}, and
 * ping. Servers are started here and killed by their own process handle in {@link #close()}.
 */
public final class Traffic implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String PEER_SERVER = """
            import socket, sys
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind(('::', int(sys.argv[1])))
            s.listen(16)
            print('ready', flush=True)
            while True:
                c, a = s.accept()
                h = a[0][7:] if a[0].startswith('::ffff:') else a[0]
                c.sendall((h + '\\n').encode())
                c.close()
            """;
    /** The same server bound to one address only (a host service meant for one interface). */
    private static final String BOUND_SERVER = """
            import socket, sys
            fam = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2])))
            s.listen(16)
            print('ready', flush=True)
            while True:
                c, a = s.accept()
                c.sendall((a[0] + '\\n').encode())
                c.close()
            """;
    private static final String CLIENT = """
            import socket, sys
            try:
                c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1.5)
                print(c.recv(200).decode().strip())
            except Exception as e:
                print('FAIL ' + type(e).__name__)
            """;

    private final Testbed bed;
    private final List<Process> servers = new ArrayList<>();

    public Traffic(Testbed bed) {
        this.bed = bed;
    }

    /** The namespace file of one of the fixture's named namespaces. */
    public static Path named(String ns) {
        return HostFixture.netnsPath(ns);
    }

    /** Starts a peer server on {@code port} inside the namespace and waits until it listens. */
    public void serve(Path netns, int port) {
        start(netns, port, PEER_SERVER, Integer.toString(port));
    }

    /** Starts a peer server bound to {@code address} only. */
    public void serve(Path netns, String address, int port) {
        start(netns, port, BOUND_SERVER, address, Integer.toString(port));
    }

    private void start(Path netns, int port, String script, String... args) {
        try {
            List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns, PYTHON, "-c", script));
            argv.addAll(List.of(args));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            servers.add(p);
            String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (!"ready".equals(first)) {
                throw new AssertionError("server in " + netns + " on " + port + " did not start: " + first);
            }
        } catch (IOException e) {
            throw new AssertionError("start server in " + netns, e);
        }
    }

    /** Connects from the namespace; the peer address the server saw, or {@code FAIL ...}. */
    public String connect(Path from, String host, int port) {
        return bed.run(List.of("nsenter", "--net=" + from, PYTHON, "-c", CLIENT, host, Integer.toString(port)))
                .stdout().strip();
    }

    /** {@link #connect} retried for up to {@code attempts} tries (each up to 1.5 s) until it gets an answer. */
    String connectWithin(Path from, String host, int port, int attempts) {
        String out = "";
        for (int i = 0; i < attempts; i++) {
            out = connect(from, host, port);
            if (!out.startsWith("FAIL")) {
                return out;
            }
        }
        return out;
    }

    public boolean ping(Path from, String to) {
        return bed.run(List.of("nsenter", "--net=" + from, "ping", to.contains(":") ? "-6" : "-4", "-c", "1",
                "-W", "1", to)).exitCode() == 0;
    }

    /** Kills the servers started here, by their own handle. */
    @Override
    public void close() {
        for (Process p : servers) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
