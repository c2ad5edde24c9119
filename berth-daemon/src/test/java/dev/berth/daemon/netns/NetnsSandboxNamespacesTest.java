package dev.berth.daemon.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.spi.SandboxNamespaces.DnsPorts;
import dev.berth.kernel.netlink.NftDnatRules;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetnsSandboxNamespacesTest {
    @Test
    void redirectHasDockersShapeAndReplacesItsRulesWithoutDeletingAnything() {
        String script = NetnsSandboxNamespaces.script(40000, 40001);
        assertTrue(script.startsWith("add table ip berth-dns\n"), script);
        // replaced by flushing the chains, never by deleting the table (a deletion costs an RCU grace period)
        assertFalse(script.contains("delete"), script);
        assertTrue(script.contains("flush chain ip berth-dns output\nflush chain ip berth-dns postrouting\n"), script);
        assertTrue(script.contains("type nat hook output priority -100;"), script);
        assertTrue(script.contains("ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:40000"), script);
        assertTrue(script.contains("ip daddr 127.0.0.11 tcp dport 53 dnat to 127.0.0.11:40001"), script);
        assertTrue(script.contains("type nat hook postrouting priority 100;"), script);
        assertTrue(script.contains("ip saddr 127.0.0.11 udp sport 40000 snat to :53"), script);
        assertTrue(script.contains("ip saddr 127.0.0.11 tcp sport 40001 snat to :53"), script);
        // the sandbox's MLD reports stay in, in the same transaction, also replaced by a flush
        assertTrue(script.contains("add table ip6 berth-quiet\n"), script);
        assertTrue(script.contains("type filter hook output priority 0;"), script);
        assertTrue(script.contains("flush chain ip6 berth-quiet output\n"), script);
        assertTrue(script.contains("icmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report } drop"), script);
    }

    @Test
    void theRedirectsPortsAreTakenFromTheChainsDnatRules() {
        InetAddress listen = InetAddress.ofLiteral("127.0.0.11");
        NftDnatRules.Dnat udp = new NftDnatRules.Dnat(17, listen, 53, listen, 40213);
        NftDnatRules.Dnat tcp = new NftDnatRules.Dnat(6, listen, 53, listen, 40214);
        assertEquals(Optional.of(new DnsPorts(40213, 40214)), NetnsSandboxNamespaces.redirectOf(List.of(udp, tcp)));
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of()), "no rules");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of(udp)), "UDP only");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of(udp,
                new NftDnatRules.Dnat(6, null, 53, listen, 40214))), "TCP of any destination: not ours");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of(udp,
                new NftDnatRules.Dnat(6, listen, 54, listen, 40214))), "another port");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of(udp,
                new NftDnatRules.Dnat(6, listen, 53, InetAddress.ofLiteral("10.0.0.1"), 40214))), "elsewhere");
    }
}
