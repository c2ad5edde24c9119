package dev.berth.daemon.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.kernel.ffm.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DNS redirect in a real namespace: a query to 127.0.0.11:53 (UDP and TCP) reaches the
 * listener's port and its answer comes back from port 53, with no connection tracked; a second
 * redirect (new listener ports after a restart) replaces the rules instead of adding to them; the
 * tables are those nft makes of the same text; an earlier version's NAT redirect is read and
 * replaced in place; and the redirect is written with more than 1024 descriptors open.
 */
class NetnsSandboxNamespacesIT {
    private final String ns = "bn-dns-" + String.format("%05x", ThreadLocalRandom.current().nextInt(1 << 20));

    @BeforeEach
    void create() {
        must("ip", "netns", "add", ns);
        must("ip", "-n", ns, "link", "set", "lo", "up");
    }

    @AfterEach
    void delete() {
        run("ip", "netns", "del", ns);
        run("ip", "netns", "del", ns + "-o");
    }

    /** The inode of the calling thread's network namespace. */
    private static long here() {
        try (dev.berth.kernel.netns.NetNs current = dev.berth.kernel.netns.NetNs.current()) {
            return current.inode();
        }
    }

    @Test
    void queriesToPort53ReachTheListenerAndARedirectAgainReplacesTheRules() {
        NetnsSandboxNamespaces namespaces = new NetnsSandboxNamespaces();
        Sandbox sandbox = new Sandbox(new SandboxId("%064x".formatted(7)), "s", "s", "/run/netns/" + ns, Instant.EPOCH,
                Sandbox.MODE_BRIDGE);
        assertEquals(java.util.Optional.empty(), namespaces.dnsRedirect(sandbox), "no redirect yet");
        namespaces.redirectDns(sandbox, 40001, 40002);
        namespaces.redirectDns(sandbox, 40011, 40012);
        assertEquals(java.util.Optional.of(new dev.berth.core.spi.SandboxNamespaces.DnsPorts(40011, 40012)),
                namespaces.dnsRedirect(sandbox), "the redirect's ports read back from the kernel");
        long inside = namespaces.call(sandbox, NetnsSandboxNamespacesIT::here);
        assertTrue(inside != here(), "call runs inside the sandbox's namespace");
        assertEquals(java.util.List.of(java.util.Optional.of(new dev.berth.core.spi.SandboxNamespaces.DnsPorts(40011, 40012)),
                        inside),
                namespaces.callAfterDnsRedirect(sandbox, left -> java.util.List.of(left, here())),
                "the redirect read and the task run in one visit, inside the sandbox's namespace");
        String table = must("ip", "netns", "exec", ns, "nft", "list", "table", "ip", "berth-dns");
        assertTrue(table.contains("ip daddr 127.0.0.11 udp dport 53 udp dport set 40011"), table);
        assertTrue(table.contains("ip saddr 127.0.0.11 tcp sport 40012 tcp sport set 53"), table);
        assertFalse(table.contains("4000") || table.contains("type nat"), table);
        assertEquals(4, table.lines().filter(l -> l.contains(" set ")).count(), table);
        assertEquals("aq 127.0.0.11 53\naq 127.0.0.11 53", echo(40011, 40012), "UDP and TCP through port 53");
        assertEquals("", must("ip", "netns", "exec", ns, "cat", "/proc/net/nf_conntrack").strip(),
                "no connection tracked in the namespace: the rewrite is stateless");
    }

    /**
     * Real traffic inside the namespace: a UDP echo on {@code udp} and a TCP echo on {@code tcp}
     * answer what a client sends to 127.0.0.11:53; one line per protocol: the answer, and the
     * address and port the client got it from.
     */
    private String echo(int udp, int tcp) {
        String echo = """
                import socket, sys, threading
                srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); srv.bind(("127.0.0.11", int(sys.argv[1])))
                cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); cli.settimeout(5)
                cli.sendto(b"q", ("127.0.0.11", 53))
                data, peer = srv.recvfrom(100); srv.sendto(b"a" + data, peer)
                answer, source = cli.recvfrom(100)
                print(answer.decode(), source[0], source[1])
                lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM); lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                lst.bind(("127.0.0.11", int(sys.argv[2]))); lst.listen(1)
                def serve():
                    c, _ = lst.accept(); c.sendall(b"a" + c.recv(100)); c.close()
                threading.Thread(target=serve).start()
                cli = socket.create_connection(("127.0.0.11", 53), timeout=5); cli.sendall(b"q")
                answer = cli.recv(100); source = cli.getpeername()
                print(answer.decode(), source[0], source[1])
                """;
        return must("ip", "netns", "exec", ns, "python3", "-c", echo, Integer.toString(udp), Integer.toString(tcp)).strip();
    }

    /**
     * A namespace an earlier version redirected with Docker's NAT rules (this nft text): the
     * start-up's read takes that redirect's ports and replaces its table by today's in place, so
     * that queries still reach the same ports, now without NAT.
     */
    @Test
    void anEarlierVersionsNatRedirectIsReadAndReplacedInPlace() throws IOException {
        nftScript(ns, """
                add table ip berth-dns
                add chain ip berth-dns output { type nat hook output priority -100; policy accept; }
                add chain ip berth-dns postrouting { type nat hook postrouting priority 100; policy accept; }
                add rule ip berth-dns output ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:40061
                add rule ip berth-dns output ip daddr 127.0.0.11 tcp dport 53 dnat to 127.0.0.11:40062
                add rule ip berth-dns postrouting ip saddr 127.0.0.11 udp sport 40061 snat to :53
                add rule ip berth-dns postrouting ip saddr 127.0.0.11 tcp sport 40062 snat to :53
                """);
        assertEquals("aq 127.0.0.11 53\naq 127.0.0.11 53", echo(40061, 40062), "the NAT redirect works");
        assertTrue(must("ip", "netns", "exec", ns, "cat", "/proc/net/nf_conntrack").contains("dport=53"),
                "and tracks its connections (what the stateless redirect does not)");
        Sandbox sandbox = new Sandbox(new SandboxId("%064x".formatted(14)), "u", "u", "/run/netns/" + ns, Instant.EPOCH,
                Sandbox.MODE_BRIDGE);
        NetnsSandboxNamespaces namespaces = new NetnsSandboxNamespaces();
        assertEquals(java.util.Optional.of(new dev.berth.core.spi.SandboxNamespaces.DnsPorts(40061, 40062)),
                namespaces.dnsRedirect(sandbox), "the earlier redirect's ports");
        String table = must("ip", "netns", "exec", ns, "nft", "list", "table", "ip", "berth-dns");
        assertFalse(table.contains("type nat") || table.contains("dnat") || table.contains("snat to"),
                "the nat chains are gone: " + table);
        assertTrue(table.contains("udp dport 53 udp dport set 40061") && table.contains("tcp sport 40062 tcp sport set 53"), table);
        assertTrue(must("ip", "netns", "exec", ns, "nft", "list", "table", "ip6", "berth-quiet").contains("drop"),
                "the MLD table came with it");
        assertEquals(java.util.Optional.of(new dev.berth.core.spi.SandboxNamespaces.DnsPorts(40061, 40062)),
                namespaces.dnsRedirect(sandbox), "read again: today's form, the same ports");
        assertEquals("aq 127.0.0.11 53\naq 127.0.0.11 53", echo(40061, 40062));
    }

    private static void nftScript(String namespace, String script) throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("bn-dns", ".nft");
        try {
            java.nio.file.Files.writeString(file, script);
            must("ip", "netns", "exec", namespace, "nft", "-f", file.toString());
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    /**
     * What nft makes of the redirect's text ({@link NetnsSandboxNamespaces#redirect}'s javadoc)
     * and what the netlink batch writes list the same, in two fresh namespaces: both tables, rule
     * for rule, the MLD types as the same anonymous set.
     */
    @Test
    void theTablesAreThoseNftMakesOfTheSameText() throws IOException {
        String script = """
                add table ip berth-dns
                add chain ip berth-dns queries { type filter hook output priority raw; policy accept; }
                add chain ip berth-dns replies { type filter hook postrouting priority srcnat; policy accept; }
                flush chain ip berth-dns queries
                flush chain ip berth-dns replies
                add rule ip berth-dns queries ip daddr 127.0.0.11 udp dport 53 udp dport set 40051
                add rule ip berth-dns queries ip daddr 127.0.0.11 tcp dport 53 tcp dport set 40052
                add rule ip berth-dns replies ip saddr 127.0.0.11 udp sport 40051 udp sport set 53
                add rule ip berth-dns replies ip saddr 127.0.0.11 tcp sport 40052 tcp sport set 53
                add table ip6 berth-quiet
                add chain ip6 berth-quiet output { type filter hook output priority 0; policy accept; }
                flush chain ip6 berth-quiet output
                add rule ip6 berth-quiet output icmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report } drop
                """;
        must("ip", "netns", "add", ns + "-o");
        nftScript(ns + "-o", script);
        Sandbox sandbox = new Sandbox(new SandboxId("%064x".formatted(12)), "t", "t", "/run/netns/" + ns, Instant.EPOCH,
                Sandbox.MODE_BRIDGE);
        new NetnsSandboxNamespaces().redirectDns(sandbox, 40051, 40052);
        for (String table : List.of("ip berth-dns", "ip6 berth-quiet")) {
            List<String> list = new ArrayList<>(List.of("ip", "netns", "exec", ns, "nft", "list", "table"));
            list.addAll(List.of(table.split(" ")));
            String written = must(list.toArray(String[]::new));
            list.set(3, ns + "-o");
            assertEquals(must(list.toArray(String[]::new)), written, table);
        }
    }

    /**
     * The daemon's path with more than 1024 descriptors open (as a daemon with a thousand
     * sandboxes has) while another thread opens and closes sockets: every socket the redirect
     * opens gets a number above 1024. libnftables' {@code select()} made glibc abort the JVM
     * there; the netlink batch reads its answers with {@code recv}, so the redirect is written
     * every time and the last one is what the chain holds.
     */
    @Test
    void theRedirectIsWrittenWithMoreThan1024DescriptorsOpen() throws Exception {
        NetnsSandboxNamespaces namespaces = new NetnsSandboxNamespaces();
        Sandbox sandbox = new Sandbox(new SandboxId("%064x".formatted(13)), "f", "f", "/run/netns/" + ns, Instant.EPOCH,
                Sandbox.MODE_BRIDGE);
        List<Integer> held = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger churned = new java.util.concurrent.atomic.AtomicInteger();
        Thread churn = Thread.ofPlatform().name("fd-churn").start(() -> {
            while (!stop.get()) {
                try (var udp = java.nio.channels.DatagramChannel.open();
                     var tcp = java.nio.channels.ServerSocketChannel.open()) {
                    udp.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                    tcp.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                    churned.incrementAndGet();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        try {
            for (int i = 0; i < 1100; i++) {
                held.add(Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0));
            }
            int lowestFree = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            Libc.close(lowestFree);
            assertTrue(lowestFree >= 1024, "every number below 1024 is taken: the next is " + lowestFree);
            for (int i = 0; i < 200; i++) {
                namespaces.redirectDns(sandbox, 41000 + i, 42000 + i);
            }
            assertEquals(java.util.Optional.of(new dev.berth.core.spi.SandboxNamespaces.DnsPorts(41199, 42199)),
                    namespaces.dnsRedirect(sandbox));
        } finally {
            stop.set(true);
            churn.join();
            held.forEach(Libc::close);
        }
        assertTrue(churned.get() > 0, "sockets were opened and closed beside the redirects");
        String table = must("ip", "netns", "exec", ns, "nft", "list", "table", "ip", "berth-dns");
        assertEquals(2, table.lines().filter(l -> l.contains("dport set")).count(), table);
        assertEquals(2, table.lines().filter(l -> l.contains("sport set")).count(), table);
    }

    /**
     * The start-up pass: every sandbox visited once on the visitors' threads, the redirect read in
     * the same visit (a namespace without one reads empty), and a sandbox whose namespace is gone
     * fails alone.
     */
    @Test
    void theStartUpPassVisitsEverySandboxOnceOnTheVisitors() {
        must("ip", "netns", "add", ns + "-o");
        Sandbox a = new Sandbox(new SandboxId("%064x".formatted(9)), "a", "a", "/run/netns/" + ns, Instant.EPOCH,
                Sandbox.MODE_BRIDGE);
        Sandbox b = new Sandbox(new SandboxId("%064x".formatted(10)), "b", "b", "/run/netns/" + ns + "-o", Instant.EPOCH,
                Sandbox.MODE_BRIDGE);
        Sandbox gone = new Sandbox(new SandboxId("%064x".formatted(11)), "g", "g", "/run/netns/" + ns + "-gone",
                Instant.EPOCH, Sandbox.MODE_BRIDGE);
        try (dev.berth.kernel.netns.NsVisitors visitors = new dev.berth.kernel.netns.NsVisitors(2)) {
            NetnsSandboxNamespaces namespaces = new NetnsSandboxNamespaces(visitors);
            namespaces.redirectDns(a, 40041, 40042);
            var results = namespaces.callAfterDnsRedirectEach(List.of(a, b, gone),
                    (s, left) -> List.of(s.name(), left, here()));
            assertEquals(3, results.size());
            List<?> inA = (List<?>) results.get(0).join();
            List<?> inB = (List<?>) results.get(1).join();
            assertEquals(List.of("a", java.util.Optional.of(new dev.berth.core.spi.SandboxNamespaces.DnsPorts(40041, 40042))),
                    inA.subList(0, 2), "a's redirect read in its visit");
            assertEquals(List.of("b", java.util.Optional.empty()), inB.subList(0, 2), "b has none");
            assertTrue(!inA.get(2).equals(here()) && !inB.get(2).equals(here()) && !inA.get(2).equals(inB.get(2)),
                    "each task ran inside its own sandbox's namespace");
            assertTrue(results.get(2).isCompletedExceptionally(), "the missing namespace fails alone");
        }
    }

    /**
     * Real traffic: an interface of the namespace that comes up with IPv6 sends MLD reports (seen on
     * the other end of its veth) until the redirect's transaction is there, and none after it.
     */
    @Test
    void theRedirectKeepsTheSandboxsMldReportsIn() throws Exception {
        NetnsSandboxNamespaces namespaces = new NetnsSandboxNamespaces();
        Sandbox sandbox = new Sandbox(new SandboxId("%064x".formatted(8)), "q", "q", "/run/netns/" + ns, Instant.EPOCH,
                Sandbox.MODE_BRIDGE);
        must("ip", "netns", "add", ns + "-o");
        assertTrue(mldReportsWhenUp("qa") > 0, "without the table an interface coming up reports its groups");
        namespaces.redirectDns(sandbox, 40021, 40022);
        String quiet = must("ip", "netns", "exec", ns, "nft", "list", "table", "ip6", "berth-quiet");
        assertTrue(quiet.contains("hook output") && quiet.contains("drop"), quiet);
        assertEquals(0, mldReportsWhenUp("qb"), "with it, none leaves the namespace");
        namespaces.redirectDns(sandbox, 40031, 40032);
        assertEquals(1, must("ip", "netns", "exec", ns, "nft", "list", "table", "ip6", "berth-quiet")
                .lines().filter(l -> l.contains("drop")).count(), "a second redirect does not add the rule twice");
    }

    /** MLD reports (ICMPv6 131, 143) the observer namespace receives in 2.5 s after {@code <prefix>0} comes up. */
    private int mldReportsWhenUp(String prefix) throws Exception {
        must("ip", "-n", ns, "link", "add", prefix + "0", "type", "veth", "peer", "name", prefix + "1", "netns", ns + "-o");
        must("ip", "-n", ns + "-o", "link", "set", prefix + "1", "up");
        String count = """
                import socket, sys, time
                s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x86dd))
                s.bind((sys.argv[1], 0)); s.settimeout(0.2)
                print("ready", flush=True)
                n, end = 0, time.time() + 2.5
                while time.time() < end:
                    try:
                        p = s.recv(2048)
                    except socket.timeout:
                        continue
                    nh, off = p[20], 54
                    if nh == 0:
                        nh, off = p[54], 54 + (p[55] + 1) * 8
                    n += nh == 58 and p[off] in (131, 143)
                print(n, flush=True)
                """;
        Process p = new ProcessBuilder("ip", "netns", "exec", ns + "-o", "python3", "-c", count, prefix + "1")
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
            must("ip", "-n", ns, "link", "set", prefix + "0", "up");
            String n = out.readLine();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "capture ended");
            return Integer.parseInt(n.strip());
        } finally {
            p.destroyForcibly();
        }
    }

    private static String must(String... command) {
        String[] result = run(command);
        if (!result[0].equals("0")) {
            throw new AssertionError(String.join(" ", command) + " exited " + result[0] + ": " + result[1]);
        }
        return result[1];
    }

    private static String[] run(String... command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new String[] {"timeout", out};
            }
            return new String[] {Integer.toString(p.exitValue()), out};
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
