package dev.berth.it;

import static dev.berth.it.Bridges.absent;
import static dev.berth.it.Bridges.create;
import static dev.berth.it.Bridges.createRaw;
import static dev.berth.it.Bridges.link;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Berth touches only devices it created (issue 9, item 1) and takes only bridge names the kernel
 * creates as given (items 2 and 4), in the test's host namespace: the fixture's uplink {@code eth0}
 * and {@code lo} named as bridges are refused and stay exactly as they were; a bridge the user made
 * is used and survives {@code network rm}; bad names are 400 and leave no device.
 */
@ExtendWith(TestbedExtension.class)
class BridgeOwnershipIT {
    private static final String OPT = "com.docker.network.bridge.name";

    @Test
    void hostDevicesNamedAsTheBridgeAreRefusedAndLeftExactlyAsTheyWere(Testbed bed) {
        bed.daemon().start();
        Map<String, JsonNode> before = Map.of(HostFixture.UPLINK, device(bed, HostFixture.UPLINK), "lo", device(bed, "lo"));
        JsonNode networks = networks(bed);

        CommandResult cli = bed.docker().run("network", "create", "-o", OPT + "=" + HostFixture.UPLINK, "x");
        HttpReply lo = createRaw(bed.api(), "{\"Name\":\"y\",\"Options\":{\"" + OPT + "\":\"lo\"}}");
        HttpReply eth0 = createRaw(bed.api(), "{\"Name\":\"z\",\"Options\":{\"" + OPT + "\":\"eth0\"}}");
        assertUntouched(bed, before, networks, "after the refused creates");
        assertAll(
                () -> assertEquals(1, cli.exitCode(), cli::describe),
                () -> assertTrue(cli.stderr().startsWith("Error response from daemon: cannot use eth0 as the bridge of "
                        + "network x: existing interface eth0 is not a bridge"), cli::describe),
                () -> assertEquals(409, lo.status(), lo::toString),
                () -> assertTrue(lo.json().path("message").asText().contains("existing interface lo is not a bridge"),
                        lo::toString),
                () -> assertEquals(409, eth0.status(), eth0::toString));
        assertTrue(pingUpstream(bed), "the host namespace's uplink still carries traffic");
        bed.daemon().restart();
        assertUntouched(bed, before, networks, "after a restart (start-up sweep)");

        String id = create(bed.docker(), "after");
        LinkState bridge = link(bed.host(), Bridges.device(id));
        assertTrue(bridge.isUp(), bridge::toString);
        bed.docker().ok("network", "rm", "after");
        assertTrue(eventually(() -> absent(bed.host(), Bridges.device(id))
                && links(bed).stream().noneMatch(n -> n.startsWith("bx-"))), "Berth's own bridge is deleted");
        assertUntouched(bed, before, networks, "after a normal create and rm");
    }

    @Test
    void aBridgeTheUserMadeIsUsedAndSurvivesRemoval(Testbed bed) {
        bed.host().ipHost("link", "add", "ubr", "mtu", "9000", "type", "bridge");
        bed.host().ipHost("addr", "add", "203.0.113.1/28", "dev", "ubr");
        int index = ifindex(bed, "ubr");
        // what an interrupted removal leaves (a bridge in Berth's group) and a device that merely has the prefix
        bed.host().ipHost("link", "add", "bx-crashed", "group", Integer.toString(0x62727468), "type", "bridge");
        bed.host().ipHost("link", "add", "bx-users", "type", "bridge");
        bed.daemon().start();
        assertTrue(eventually(() -> absent(bed.host(), "bx-crashed")), "the start-up sweep deletes Berth's leftover");
        assertEquals(List.of("bx-users"), retired(bed), "the sweep leaves a bx- device Berth did not create");

        create(bed.docker(), "-o", OPT + "=ubr", "--subnet", "10.77.0.0/24", "u");
        LinkState used = link(bed.host(), "ubr");
        assertTrue(used.isUp(), used::toString);
        assertEquals(9000, used.mtu(), "a user's bridge keeps its MTU when the network sets none");
        assertEquals(List.of("203.0.113.1/28", "10.77.0.1/24"), used.addresses(true), "the gateway is added, "
                + "the user's own address kept");

        bed.docker().ok("network", "rm", "u");
        bed.daemon().restart();
        LinkState kept = link(bed.host(), "ubr");
        assertEquals(index, ifindex(bed, "ubr"), "the same device, never renamed or re-created");
        assertEquals(List.of("203.0.113.1/28"), kept.addresses(true), "only the network's gateway went");
        assertEquals(List.of("bx-users"), retired(bed));

        create(bed.docker(), "-o", OPT + "=mine", "m");
        assertEquals(Integer.toString(0x62727468), device(bed, "mine").path("group").asText(), "Berth's bridge is in its group");
        bed.docker().ok("network", "rm", "m");
        assertTrue(eventually(() -> absent(bed.host(), "mine") && retired(bed).equals(List.of("bx-users"))),
                "a bridge Berth created goes with its network");
        assertEquals(index, ifindex(bed, "ubr"));
    }

    /**
     * A store of the version before ownership was recorded: its bridges are in group 0. A
     * {@code br-<id12>} bridge is Berth's by the name Berth chose for it (recorded at start-up);
     * a bridge named by the option cannot be told from a user's, so it is kept.
     */
    @Test
    void bridgesOfAStoreFromBeforeOwnershipStillGoWithTheirNetworks(Testbed bed) {
        bed.daemon().start();
        String id = create(bed.docker(), "old");
        create(bed.docker(), "-o", OPT + "=oldbr", "oldnamed");
        bed.daemon().stop();
        bed.host().ipHost("link", "set", Bridges.device(id), "group", "0");
        bed.host().ipHost("link", "set", "oldbr", "group", "0");
        bed.daemon().start();
        assertEquals(Integer.toString(0x62727468), device(bed, Bridges.device(id)).path("group").asText(),
                "recorded as Berth's at start-up");
        assertEquals("default", device(bed, "oldbr").path("group").asText());

        bed.docker().ok("network", "rm", "old", "oldnamed");
        assertTrue(eventually(() -> absent(bed.host(), Bridges.device(id)) && retired(bed).isEmpty()),
                () -> "br-<id> of an old store is deleted: " + links(bed));
        assertFalse(absent(bed.host(), "oldbr"), "an option-named bridge of an old store is kept");
        assertEquals(List.of(), link(bed.host(), "oldbr").addresses(true), "but loses the network's gateway");
    }

    @Test
    void bridgeNamesTheKernelWouldNotCreateAsGivenAre400AndLeaveNoDevice(Testbed bed) {
        bed.daemon().start();
        List<String> linksBefore = links(bed);
        JsonNode networks = networks(bed);
        List<String> bad = List.of("a%d", "all", "default", "sixteen-chars-xx", "*", "b\\ud800", "bx-1", "gone1", "a:b",
                "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9", "\\u00fc");
        List<Executable> checks = new ArrayList<>();
        for (String name : bad) {
            HttpReply reply = createRaw(bed.api(), "{\"Name\":\"bad\",\"Options\":{\"" + OPT + "\":\"" + name + "\"}}");
            checks.add(() -> {
                assertEquals(400, reply.status(), () -> name + ": " + reply);
                assertTrue(reply.json().path("message").asText().startsWith("invalid value \""), () -> name + ": " + reply);
                assertTrue(reply.json().path("message").asText().contains(OPT), () -> name + ": " + reply);
            });
        }
        CommandResult cli = bed.docker().run("network", "create", "-o", OPT + "=a%d", "bad");
        checks.add(() -> assertEquals(1, cli.exitCode(), cli::describe));
        checks.add(() -> assertTrue(cli.stderr().startsWith("Error response from daemon: invalid value \"a%d\" for option "
                + OPT + ": it must be a valid interface name"), cli::describe));
        assertAll(checks);
        assertEquals(linksBefore, links(bed), "no device made (a0, all, ...)");
        assertEquals(networks, networks(bed), "nothing stored");

        String id = create(bed.docker(), "-o", OPT + "=fifteen-bytes-x", "good");
        assertTrue(link(bed.host(), "fifteen-bytes-x").isUp());
        assertTrue(absent(bed.host(), Bridges.device(id)));
    }

    private static void assertUntouched(Testbed bed, Map<String, JsonNode> before, JsonNode networks, String when) {
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            assertEquals(e.getValue(), device(bed, e.getKey()), e.getKey() + " changed " + when);
        }
        assertTrue(links(bed).stream().noneMatch(n -> n.startsWith("bx-")), () -> "renamed " + when + ": " + links(bed));
        assertEquals(networks, networks(bed), "networks stored " + when);
    }

    /** Name, index, flags, state, MTU, MAC, group and every address of one device. */
    private static JsonNode device(Testbed bed, String name) {
        JsonNode all = bed.host().ipHostJson("addr", "show", "dev", name);
        assertEquals(1, all.size(), () -> "no device " + name + ": " + all);
        return all.get(0);
    }

    private static int ifindex(Testbed bed, String name) {
        return device(bed, name).path("ifindex").asInt();
    }

    private static List<String> links(Testbed bed) {
        return bed.host().hostLinks().stream().map(LinkState::name).sorted().toList();
    }

    private static List<String> retired(Testbed bed) {
        return links(bed).stream().filter(n -> n.startsWith("bx-")).toList();
    }

    private static JsonNode networks(Testbed bed) {
        HttpReply list = bed.api().send("GET", "/v1.50/networks");
        assertEquals(200, list.status(), list::toString);
        return list.json();
    }

    private static boolean pingUpstream(Testbed bed) {
        return bed.run(HostFixture.inNamespace(bed.host().hostNs(), "ping", "-c", "1", "-W", "2",
                HostFixture.UPSTREAM_V4)).exitCode() == 0;
    }

    /** Polls for up to 5 s: the reaper deletes bridges off the request path. */
    private static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
