package dev.berth.daemon.firewall.nft;

import static dev.berth.daemon.firewall.nft.TestNetworks.bridge;
import static dev.berth.daemon.firewall.nft.TestNetworks.port;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.spi.Firewall.SandboxPorts;
import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.nftables.NftException;
import dev.berth.kernel.nftables.NftSet;
import dev.berth.kernel.nftables.NftText;

/** {@link ElementAudit} over a fake table that answers {@code get element} and {@code list set} as nft does. */
class ElementAuditTest {
    private static final Network NET = bridge("net1", "br-net1", false, Map.of(), "172.20.0.0/16", "fd00:20::/64");
    private static final Network OTHER = bridge("net2", "br-net2", false, Map.of(), "172.21.0.0/16");
    private static final SandboxPorts WEB = new SandboxPorts("ep-web", NET, List.of(
            port("tcp", "0.0.0.0", 8080, "172.20.0.2", 80),
            port("tcp", "127.0.0.1", 8081, "172.20.0.2", 80)));

    /** "set-ref|key" for every element in the fake table, and the refs of the sets that exist. */
    private final Set<String> elements = new HashSet<>();
    private final Set<String> sets = new HashSet<>();
    private final List<String> queries = new ArrayList<>();
    private final ElementAudit audit = new ElementAudit(new FakeTable());

    private final class FakeTable implements dev.berth.kernel.nftables.NftScriptRunner {
        @Override
        public String run(String script) {
            throw new UnsupportedOperationException(script);
        }

        @Override
        public String query(String command) {
            queries.add(command);
            if (command.startsWith("list ")) {
                String ref = command.substring(command.indexOf(' ', 5) + 1);
                if (!sets.contains(ref)) {
                    throw new NftException("list", "Error: No such file or directory", command);
                }
                return "{}";
            }
            String rest = command.substring("get element ".length());
            String ref = rest.substring(0, rest.indexOf(" {"));
            String keys = rest.substring(rest.indexOf('{') + 2, rest.lastIndexOf(" }"));
            boolean interval = BerthTable.SETS.stream().anyMatch(set -> set.ref().equals(ref)
                    && set.flags().contains("interval"));
            for (String key : keys.split(", ")) {
                if (interval ? !covered(ref, key) : !elements.contains(ref + "|" + key)) {
                    throw new NftException("get", "Error: Could not process rule: No such file or directory", command);
                }
            }
            return "";
        }
    }

    /** An interval set answers for an address inside one of its subnets. */
    private boolean covered(String ref, String address) {
        return elements.stream().filter(e -> e.startsWith(ref + "|"))
                .anyMatch(e -> IpPrefix.parse(e.substring(ref.length() + 1)).contains(IpAddresses.parse(address)));
    }

    /** Fills the fake table with everything the networks and ports need. */
    private void complete(List<Network> networks, List<SandboxPorts> ports) {
        BerthTable.SETS.forEach(s -> sets.add(s.ref()));
        for (Network n : networks) {
            NetworkElements.of(n).present().forEach(this::add);
        }
        ports.forEach(p -> PortElements.of(p).elements().forEach(this::add));
    }

    private void add(NftSet set, List<String> list) {
        list.forEach(e -> elements.add(set.ref() + "|" + NftText.key(e)));
    }

    @Test
    void aCompleteTableCostsOneLookupPerSetInUse() {
        complete(List.of(NET, OTHER), List.of(WEB));
        assertEquals(List.of(), audit.missing(List.of(NET, OTHER), List.of(WEB)));
        assertEquals(8, queries.size(), queries::toString);
        assertEquals("get element inet berth bridges { \"br-net1\", \"br-net2\" }", queries.getFirst());
    }

    @Test
    void aSubnetIsLookedUpByItsFirstAndLastAddress() {
        complete(List.of(NET), List.of());
        audit.missing(List.of(NET), List.of());
        assertEquals("get element inet berth masq4 { 172.20.0.0, 172.20.255.255 }", queries.get(2));
    }

    @Test
    void eachMissingElementIsNamedWithItsNetwork() {
        complete(List.of(NET, OTHER), List.of(WEB));
        elements.remove("inet berth bridges|\"br-net2\"");
        elements.remove("inet berth nets6|fd00:20::/64");
        elements.remove("inet berth pub4_any|tcp . 8080");
        assertEquals(List.of(
                new KernelDrift(OTHER.id(), "firewall: element \"br-net2\" missing from set inet berth bridges"),
                new KernelDrift(NET.id(), "firewall: element fd00:20::/64 missing from set inet berth nets6"),
                new KernelDrift(NET.id(), "firewall: element tcp . 8080 missing from map inet berth pub4_any")),
                audit.missing(List.of(NET, OTHER), List.of(WEB)));
    }

    @Test
    void aSetThatIsGoneIsLeftToTheLayoutCheck() {
        complete(List.of(NET), List.of());
        sets.remove("inet berth masq4");
        elements.removeIf(e -> e.startsWith("inet berth masq4|"));
        assertEquals(List.of(), audit.missing(List.of(NET), List.of()));
    }
}
