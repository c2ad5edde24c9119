package dev.berth.daemon.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.kernel.nftables.LowFdReserve;
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
 * The DNS redirect in a real namespace: a query to 127.0.0.11:53 reaches the listener's port and
 * its answer comes back from port 53; a second redirect (new listener ports after a restart)
 * replaces the rules instead of adding to them.
 */
class NetnsSandboxNamespacesIT {
    private final String ns = "bn-dns-" + String.format("%05x", ThreadLocalRandom.current().nextInt(1 << 20));
    private LowFdReserve lowFds;

    @BeforeEach
    void create() {
        must("ip", "netns", "add", ns);
        must("ip", "-n", ns, "link", "set", "lo", "up");
        lowFds = LowFdReserve.take(4);
    }

    @AfterEach
    void delete() {
        lowFds.close();
        run("ip", "netns", "del", ns);
    }

    /** The inode of the calling thread's network namespace. */
    private static long here() {
        try (dev.berth.kernel.netns.NetNs current = dev.berth.kernel.netns.NetNs.current()) {
            return current.inode();
        }
    }

    @Test
    void queriesToPort53ReachTheListenerAndARedirectAgainReplacesTheRules() {
        NetnsSandboxNamespaces namespaces = new NetnsSandboxNamespaces(lowFds);
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
        assertTrue(table.contains("udp dport 53 dnat to 127.0.0.11:40011"), table);
        assertTrue(table.contains("tcp sport 40012 snat to :53"), table);
        assertFalse(table.contains("4000"), table);
        assertEquals(2, table.lines().filter(l -> l.contains("dnat to")).count(), table);
        // real traffic: a UDP echo on 40011 answers a query sent to 127.0.0.11:53, from port 53
        String echo = """
                import socket, sys
                srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); srv.bind(("127.0.0.11", 40011))
                cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); cli.settimeout(5)
                cli.sendto(b"q", ("127.0.0.11", 53))
                data, peer = srv.recvfrom(100); srv.sendto(b"a" + data, peer)
                answer, source = cli.recvfrom(100)
                print(answer.decode(), source[0], source[1])
                """;
        assertEquals("aq 127.0.0.11 53", must("ip", "netns", "exec", ns, "python3", "-c", echo).strip());
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
