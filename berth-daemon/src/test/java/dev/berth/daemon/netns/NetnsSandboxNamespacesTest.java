package dev.berth.daemon.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.spi.SandboxNamespaces.DnsPorts;
import dev.berth.kernel.netlink.NftDnatRules;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetnsSandboxNamespacesTest {
    @Test
    void redirectHasDockersShapeAndReplacesItsRulesWithoutDeletingAnything() {
        // replaced by flushing the chains, never by deleting the table (a deletion costs an RCU
        // grace period); the sandbox's MLD reports stay in, in the same transaction
        assertEquals(List.of(
                "add table ip berth-dns",
                "add chain ip berth-dns output { type nat hook output priority -100 }",
                "add chain ip berth-dns postrouting { type nat hook postrouting priority 100 }",
                "flush chain ip berth-dns output",
                "flush chain ip berth-dns postrouting",
                "add rule ip berth-dns output (rule 1 of the batch)",
                "add rule ip berth-dns output (rule 2 of the batch)",
                "add rule ip berth-dns postrouting (rule 3 of the batch)",
                "add rule ip berth-dns postrouting (rule 4 of the batch)",
                "add table ip6 berth-quiet",
                "add chain ip6 berth-quiet output { type filter hook output priority 0 }",
                "flush chain ip6 berth-quiet output",
                "add anonymous set 1 of table ip6 berth-quiet",
                "add 3 elements to anonymous set 1 of table ip6 berth-quiet",
                "add rule ip6 berth-quiet output (rule 5 of the batch)"),
                NetnsSandboxNamespaces.redirect(40000, 40001).describe());
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
