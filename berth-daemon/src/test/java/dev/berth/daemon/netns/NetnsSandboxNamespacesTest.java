package dev.berth.daemon.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.spi.SandboxNamespaces.DnsPorts;
import dev.berth.kernel.netlink.NftRules;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetnsSandboxNamespacesTest {
    @Test
    void redirectRewritesPortsBeforeAndAfterConntrackAndReplacesItsRulesWithoutDeletingAnything() {
        // replaced by flushing the chains, never by deleting the table (a deletion costs an RCU
        // grace period); the sandbox's MLD reports stay in, in the same transaction
        assertEquals(REDIRECT, NetnsSandboxNamespaces.redirect(40000, 40001).describe());
    }

    @Test
    void anEarlierVersionsRedirectIsReplacedByDeletingItsTableFirst() {
        List<String> upgrade = new java.util.ArrayList<>(List.of("delete table ip berth-dns"));
        upgrade.addAll(REDIRECT);
        assertEquals(upgrade, NetnsSandboxNamespaces.upgrade(40000, 40001).describe());
    }

    private static final List<String> REDIRECT = List.of(
            "add table ip berth-dns",
            "add chain ip berth-dns queries { type filter hook output priority -300 }",
            "add chain ip berth-dns replies { type filter hook postrouting priority 100 }",
            "flush chain ip berth-dns queries",
            "flush chain ip berth-dns replies",
            "add rule ip berth-dns queries (rule 1 of the batch)",
            "add rule ip berth-dns queries (rule 2 of the batch)",
            "add rule ip berth-dns replies (rule 3 of the batch)",
            "add rule ip berth-dns replies (rule 4 of the batch)",
            "add table ip6 berth-quiet",
            "add chain ip6 berth-quiet output { type filter hook output priority 0 }",
            "flush chain ip6 berth-quiet output",
            "add anonymous set 1 of table ip6 berth-quiet",
            "add 3 elements to anonymous set 1 of table ip6 berth-quiet",
            "add rule ip6 berth-quiet output (rule 5 of the batch)");

    @Test
    void theRedirectsPortsAreTakenFromTheQueryChainsRewrites() {
        InetAddress listen = InetAddress.ofLiteral("127.0.0.11");
        NftRules.Rule udp = new NftRules.Rule(17, null, listen, -1, 53, new NftRules.SetPort(true, 40213));
        NftRules.Rule tcp = new NftRules.Rule(6, null, listen, -1, 53, new NftRules.SetPort(true, 40214));
        assertEquals(Optional.of(new DnsPorts(40213, 40214)), NetnsSandboxNamespaces.redirectOf(List.of(udp, tcp)));
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of()), "no rules");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of(udp)), "UDP only");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of(udp,
                new NftRules.Rule(6, null, null, -1, 53, new NftRules.SetPort(true, 40214)))), "TCP of any destination: not ours");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of(udp,
                new NftRules.Rule(6, null, listen, -1, 54, new NftRules.SetPort(true, 40214)))), "another port");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of(udp,
                new NftRules.Rule(6, null, listen, -1, 53, new NftRules.SetPort(false, 40214)))), "the source port");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.redirectOf(List.of(udp,
                new NftRules.Rule(6, null, listen, -1, 53, new NftRules.Dnat(listen, 40214)))), "a DNAT is not today's form");
    }

    @Test
    void anEarlierVersionsPortsAreTakenFromItsDnatRules() {
        InetAddress listen = InetAddress.ofLiteral("127.0.0.11");
        NftRules.Rule udp = new NftRules.Rule(17, null, listen, -1, 53, new NftRules.Dnat(listen, 40213));
        NftRules.Rule tcp = new NftRules.Rule(6, null, listen, -1, 53, new NftRules.Dnat(listen, 40214));
        assertEquals(Optional.of(new DnsPorts(40213, 40214)), NetnsSandboxNamespaces.natRedirectOf(List.of(udp, tcp)));
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.natRedirectOf(List.of(udp)), "UDP only");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.natRedirectOf(List.of(udp,
                new NftRules.Rule(6, null, listen, -1, 53, new NftRules.Dnat(InetAddress.ofLiteral("10.0.0.1"), 40214)))),
                "elsewhere");
        assertEquals(Optional.empty(), NetnsSandboxNamespaces.natRedirectOf(List.of(udp,
                new NftRules.Rule(6, null, listen, -1, 53, new NftRules.SetPort(true, 40214)))), "a rewrite is not a DNAT");
    }
}
