package dev.berth.daemon.firewall.nft;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway namespaces for the firewall ITs, made with {@code ip}: a "host" namespace with
 * bridges and an uplink {@code eth0} (198.51.100.2/24, 2001:db8::2/64) to an "upstream"
 * namespace (198.51.100.1, 2001:db8::1), and sandbox namespaces on the bridges. Only processes
 * started here are killed (by their handle), and {@link #close()} deletes every namespace made.
 */
final class Topology implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    /** Accepts TCP connections (v4 and v6) and answers with the peer address it sees. */
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
    private static final String CLIENT = """
            import socket, sys
            try:
                c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
                print(c.recv(200).decode().strip())
            except Exception as e:
                print('FAIL ' + type(e).__name__)
            """;

    record Result(int exit, String output) {}

    private final String prefix = "bn-" + String.format("%05x", ThreadLocalRandom.current().nextInt(1 << 20));
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** Creates {@code bn-<random>-<role>} and brings its loopback up. */
    String namespace(String role) {
        String ns = prefix + "-" + role;
        must("ip", "netns", "add", ns);
        namespaces.add(ns);
        must("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** Host-side bridge with a v4 and (optionally) a v6 gateway address. */
    void bridge(String host, String name, String gw4, String gw6) {
        must("ip", "-n", host, "link", "add", name, "type", "bridge");
        // As the bridge driver does: no DAD on the bridge, or forwarded IPv6 to a sandbox is dropped
        // while the bridge's link-local address is tentative (the first 1-2 s).
        must("ip", "netns", "exec", host, "sysctl", "-qw", "net.ipv6.conf." + name + ".accept_dad=0");
        must("ip", "-n", host, "addr", "add", gw4, "dev", name);
        if (gw6 != null) {
            must("ip", "-n", host, "addr", "add", gw6, "dev", name, "nodad");
        }
        must("ip", "-n", host, "link", "set", name, "up");
    }

    /** A sandbox namespace on {@code bridge}: eth0 with the addresses and default routes via the gateways. */
    String sandbox(String role, String host, String bridge, String addr4, String gw4, String addr6, String gw6) {
        String ns = namespace(role);
        String hostEnd = "v" + role;
        must("ip", "-n", host, "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns);
        must("ip", "-n", host, "link", "set", hostEnd, "master", bridge, "up");
        must("ip", "-n", ns, "addr", "add", addr4, "dev", "eth0");
        must("ip", "-n", ns, "addr", "add", addr6, "dev", "eth0", "nodad");
        must("ip", "-n", ns, "link", "set", "eth0", "up");
        must("ip", "-n", ns, "route", "add", "default", "via", gw4);
        must("ip", "-n", ns, "-6", "route", "add", "default", "via", gw6);
        return ns;
    }

    /** The uplink veth between host and upstream, both called eth0. */
    void uplink(String host, String upstream) {
        must("ip", "-n", host, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", upstream);
        must("ip", "-n", host, "addr", "add", "198.51.100.2/24", "dev", "eth0");
        must("ip", "-n", host, "addr", "add", "2001:db8::2/64", "dev", "eth0", "nodad");
        must("ip", "-n", upstream, "addr", "add", "198.51.100.1/24", "dev", "eth0");
        must("ip", "-n", upstream, "addr", "add", "2001:db8::1/64", "dev", "eth0", "nodad");
        must("ip", "-n", host, "link", "set", "eth0", "up");
        must("ip", "-n", upstream, "link", "set", "eth0", "up");
    }

    /** One ping, retried a little while the links settle; true if a reply came back. */
    boolean ping(String ns, String target, int attempts) {
        for (int i = 0; i < attempts; i++) {
            if (exec(ns, "ping", "-c", "1", "-W", "1", target).exit() == 0) {
                return true;
            }
        }
        return false;
    }

    /** Starts a peer-echo server on {@code port} in {@code ns} and waits until it listens. */
    void peerServer(String ns, int port) {
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, PYTHON, "-c", PEER_SERVER, Integer.toString(port))
                    .redirectErrorStream(true).start();
            processes.add(p);
            String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (!"ready".equals(first)) {
                throw new AssertionError("server in " + ns + " did not start: " + first);
            }
        } catch (IOException e) {
            throw new AssertionError("start server in " + ns, e);
        }
    }

    /** Connects from {@code ns} and returns the peer address the server saw, or "FAIL ...". */
    String connect(String ns, String host, int port) {
        return exec(ns, PYTHON, "-c", CLIENT, host, Integer.toString(port)).output().strip();
    }

    Result exec(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return run(all.toArray(String[]::new));
    }

    String must(String... cmd) {
        Result r = run(cmd);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.output());
        }
        return r.output();
    }

    static Result run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timeout");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", cmd), e);
        }
    }

    /** Kills the servers started here (by handle), then deletes every namespace made. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : namespaces.reversed()) {
            run("ip", "netns", "del", ns);
        }
    }
}
