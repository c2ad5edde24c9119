package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.entry;
import static dev.berth.daemon.dns.Tables.network;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The incremental changes leave the table exactly as a table built from the remaining endpoints. */
class NameTableTest {
    private final Network net1 = network("net1", 'a', false);
    private final Network net2 = network("net2", 'b', false);
    private final Network inside = network("inside", 'c', true);
    private final Network bridge = network("bridge", 'd', false);

    private static Sandbox sandbox(int i) {
        return new Sandbox(new SandboxId("%064x".formatted(i + 1)), "c" + i, "h" + i, "/run/netns/c" + i,
                Instant.EPOCH, "net1");
    }

    @Test
    void putThenRemoveLeavesNothing() {
        NameTable table = new NameTable();
        Sandbox c1 = sandbox(1);
        table.put(entry(net1, c1, "172.18.0.2/16", "fd00::2/64", "db"));
        assertTrue(table.serves(c1.id()));
        assertEquals(List.of(InetAddress.ofLiteral("172.18.0.2")), table.lookup(c1.id(), "db").orElseThrow().ipv4());
        assertEquals(Optional.of("c1.net1."), table.reverse(c1.id(), InetAddress.ofLiteral("fd00::2")));

        table.remove(net1.id(), c1.id());
        assertFalse(table.serves(c1.id()));
        assertEquals(Set.of(), table.servedSandboxes());
        assertEquals(Optional.empty(), table.lookup(c1.id(), "db"));
        assertEquals(Optional.empty(), table.reverse(c1.id(), InetAddress.ofLiteral("fd00::2")));
    }

    /** What {@code DnsFeed} does for a rename: the endpoint put again with the renamed sandbox. */
    @Test
    void aRenamedSandboxAnswersToItsNewNameOnly() {
        NameTable table = new NameTable();
        Sandbox c1 = sandbox(1);
        Sandbox c2 = sandbox(2);
        NameTable.Entry before = entry(net1, c1, "172.18.0.2/16", null, "db");
        table.put(before);
        table.put(entry(net1, c2, "172.18.0.3/16", null));
        table.put(new NameTable.Entry(net1, c1.withName("web"), before.endpoint()));
        assertEquals(List.of(InetAddress.ofLiteral("172.18.0.2")), table.lookup(c2.id(), "web").orElseThrow().ipv4());
        assertEquals(Optional.empty(), table.lookup(c2.id(), "c1"));
        assertEquals(List.of(InetAddress.ofLiteral("172.18.0.2")), table.lookup(c2.id(), "db").orElseThrow().ipv4());
        assertEquals(Optional.of("web.net1."), table.reverse(c2.id(), InetAddress.ofLiteral("172.18.0.2")));
    }

    @Test
    void aLinkAliasResolvesForTheLinkingSandboxAloneAndBeforeARealName() {
        NameTable table = new NameTable();
        Sandbox c1 = sandbox(1);
        Sandbox c2 = sandbox(2);
        Sandbox c3 = sandbox(3);
        table.put(entry(net1, c1, "172.18.0.2/16", null));
        table.put(entry(net1, c3, "172.18.0.4/16", null, "db"));
        NameTable.Entry plain = entry(net1, c2, "172.18.0.3/16", null);
        Endpoint e = plain.endpoint();
        Endpoint linked = new Endpoint(e.id(), e.networkId(), e.sandboxId(), e.ifName(), e.hostIfName(), e.mac(),
                e.ipv4(), e.ipv6(), e.aliases(), new Endpoint.Requested("", "", "", 0,
                        List.of("C1:DB", "nobody:ghost"), List.of(), java.util.Map.of()));
        table.put(new NameTable.Entry(net1, c2, linked));
        InetAddress c1Address = InetAddress.ofLiteral("172.18.0.2");
        // for c2, "db" is its link to c1, before c3's alias "db"; also as db.net1
        assertEquals(List.of(c1Address), table.lookup(c2.id(), "db").orElseThrow().ipv4());
        assertEquals(List.of(c1Address), table.lookup(c2.id(), "db.net1").orElseThrow().ipv4());
        // for everybody else, "db" is c3's alias
        assertEquals(List.of(InetAddress.ofLiteral("172.18.0.4")), table.lookup(c1.id(), "db").orElseThrow().ipv4());
        // a link to a container that is not on the network resolves to nothing
        assertEquals(Optional.empty(), table.lookup(c2.id(), "ghost"));
        table.remove(net1.id(), c2.id());
        table.put(plain);
        assertEquals(List.of(InetAddress.ofLiteral("172.18.0.4")), table.lookup(c2.id(), "db").orElseThrow().ipv4());
    }

    @Test
    void sharedAliasKeepsTheOtherHolder() {
        NameTable table = new NameTable();
        Sandbox c1 = sandbox(1);
        Sandbox c2 = sandbox(2);
        Sandbox c3 = sandbox(3);
        table.put(entry(net1, c1, "172.18.0.2/16", null, "db"));
        table.put(entry(net1, c2, "172.18.0.3/16", null, "db"));
        table.put(entry(net1, c3, "172.18.0.4/16", null));
        assertEquals(2, table.lookup(c3.id(), "db").orElseThrow().ipv4().size());
        table.remove(net1.id(), c1.id());
        assertEquals(List.of(InetAddress.ofLiteral("172.18.0.3")), table.lookup(c3.id(), "db").orElseThrow().ipv4());
    }

    @Test
    void predefinedNetworksGetNoNames() {
        NameTable table = new NameTable();
        Sandbox c1 = sandbox(1);
        table.put(entry(bridge, c1, "172.17.0.2/16", null));
        assertFalse(table.serves(c1.id()));
        table.remove(bridge.id(), c1.id());
        table.removeSandbox(c1.id());
        assertFalse(table.serves(c1.id()));
    }

    @Test
    void everyChangeMovesTheVersion() {
        NameTable table = new NameTable();
        Sandbox c1 = sandbox(1);
        List<Runnable> changes = List.of(
                () -> table.put(entry(net1, c1, "172.18.0.2/16", null)),
                () -> table.put(entry(bridge, c1, "172.17.0.2/16", null)),
                () -> table.remove(bridge.id(), c1.id()),
                () -> table.put(entry(bridge, c1, "172.17.0.2/16", null)),
                () -> table.remove(net1.id(), c1.id()),
                () -> table.removeSandbox(c1.id()),
                () -> table.replaceAll(List.of(entry(net2, c1, "172.19.0.2/16", null))));
        for (Runnable change : changes) {
            int before = table.version();
            change.run();
            assertNotEquals(before, table.version());
        }
    }

    @Test
    void randomChangesMatchAFreshBuild() {
        Random random = new Random(42);
        List<Network> nets = List.of(net1, net2, inside, bridge);
        List<NameTable.Entry> live = new ArrayList<>();
        NameTable table = new NameTable();
        for (int step = 0; step < 3000; step++) {
            int op = random.nextInt(10);
            if (op < 6 || live.isEmpty()) {
                Network n = nets.get(random.nextInt(nets.size()));
                Sandbox s = sandbox(random.nextInt(40));
                int host = 2 + random.nextInt(200);
                String alias = random.nextBoolean() ? "alias" + random.nextInt(5) : "Shared";
                NameTable.Entry e = entry(n, s, "172.18.%d.%d/16".formatted(random.nextInt(3), host),
                        random.nextBoolean() ? "fd00::%x/64".formatted(host) : null, alias);
                live.removeIf(x -> x.network().id().equals(n.id()) && x.sandbox().id().equals(s.id()));
                live.add(e);
                table.put(e);
            } else if (op < 9) {
                NameTable.Entry gone = live.remove(random.nextInt(live.size()));
                table.remove(gone.network().id(), gone.sandbox().id());
            } else {
                SandboxId s = live.get(random.nextInt(live.size())).sandbox().id();
                live.removeIf(x -> x.sandbox().id().equals(s));
                table.removeSandbox(s);
            }
            if (step % 50 == 0) {
                assertSame(NameTable.build(live), table, step);
            }
        }
        assertSame(NameTable.build(live), table, -1);
    }

    /** Same answers for every sandbox, name and address the test uses. */
    private static void assertSame(NameTable expected, NameTable actual, int step) {
        assertEquals(expected.servedSandboxes(), actual.servedSandboxes(), "served at step " + step);
        for (int i = 0; i < 40; i++) {
            SandboxId s = sandbox(i).id();
            assertEquals(expected.mayForward(s), actual.mayForward(s), "forward " + i + " at step " + step);
            Set<String> names = new HashSet<>(List.of("shared", "c1.net1", "c2.net2", "c3.inside"));
            for (int j = 0; j < 40; j++) {
                names.add("c" + j);
                names.add("h" + j);
            }
            for (int a = 0; a < 5; a++) {
                names.add("alias" + a);
            }
            for (String name : names) {
                assertEquals(set(expected.lookup(s, name)), set(actual.lookup(s, name)),
                        name + " from " + i + " at step " + step);
            }
            for (int third = 0; third < 3; third++) {
                for (int host = 2; host < 202; host += 7) {
                    InetAddress a = InetAddress.ofLiteral("172.18.%d.%d".formatted(third, host));
                    assertEquals(expected.reverse(s, a).isPresent(), actual.reverse(s, a).isPresent(),
                            a + " from " + i + " at step " + step);
                }
            }
        }
    }

    private static Set<InetAddress> set(Optional<NameTable.Addresses> found) {
        Set<InetAddress> out = new HashSet<>();
        found.ifPresent(f -> {
            out.addAll(f.ipv4());
            out.addAll(f.ipv6());
        });
        return out;
    }
}
