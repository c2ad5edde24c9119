package dev.berth.it;

import static dev.berth.it.Bridges.absent;
import static dev.berth.it.Bridges.create;
import static dev.berth.it.Bridges.device;
import static dev.berth.it.Bridges.inspect;
import static dev.berth.it.Bridges.link;
import static dev.berth.it.Bridges.subnetV4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** User networks across restarts and crashes: same ids, subnets and options; devices converge. */
@ExtendWith(TestbedExtension.class)
class NetworkPersistenceIT {

    private static final int BURST = 20;
    /** How many devices must be gone before the SIGKILL. */
    private static final int KILL_AFTER = 4;

    @Test
    void networksSurviveASigtermRestartUnchanged(Testbed bed) {
        bed.daemon().start();
        String plainId = create(bed.docker(), "plain");
        create(bed.docker(), "--subnet", "10.10.0.0/24", "--ip-range", "10.10.0.128/25", "--gateway", "10.10.0.1",
                "--ipv6", "--label", "a=b", "--internal", "-o", "com.docker.network.bridge.name=br-opts",
                "-o", "com.docker.network.driver.mtu=1400", "opts");
        Map<String, String> ids = NetworkIds.fromApi(bed.api());
        JsonNode plain = inspect(bed.docker(), "plain");
        JsonNode opts = inspect(bed.docker(), "opts");
        LinkState plainLink = link(bed.host(), device(plainId));
        LinkState optsLink = link(bed.host(), "br-opts");

        bed.daemon().restart();

        assertEquals(ids, NetworkIds.fromApi(bed.api()));
        assertEquals(plain, inspect(bed.docker(), "plain"));
        assertEquals(opts, inspect(bed.docker(), "opts"));
        assertSameDevice(plainLink, link(bed.host(), device(plainId)));
        assertSameDevice(optsLink, link(bed.host(), "br-opts"));
        create(bed.docker(), "after");
        assertEquals("172.19.0.0/16", subnetV4(bed.docker(), "after"), "IPAM must remember plain's 172.18.0.0/16");
    }

    @Test
    void aDeviceDeletedWhileTheDaemonIsDownIsRecreatedAtStart(Testbed bed) {
        bed.daemon().start();
        String id = create(bed.docker(), "-o", "com.docker.network.driver.mtu=1400", "victim");
        LinkState before = link(bed.host(), device(id));
        bed.daemon().stop();
        bed.host().ipHost("link", "del", device(id));
        assertTrue(absent(bed.host(), device(id)));
        bed.daemon().start();
        LinkState after = link(bed.host(), device(id));
        assertTrue(after.isUp(), after::toString);
        assertEquals(List.of("172.18.0.1/16"), after.addresses(true));
        assertSameDevice(before, after);
    }

    @Test
    void sigkillRightAfterCreateKeepsTheNetworkAndItsDevice(Testbed bed) {
        bed.daemon().start();
        String id = create(bed.docker(), "crashy");
        bed.daemon().kill9();
        bed.daemon().start();
        assertEquals(id, NetworkIds.fromApi(bed.api()).get("crashy"));
        LinkState bridge = link(bed.host(), device(id));
        assertTrue(bridge.isUp(), bridge::toString);
        assertEquals(List.of("172.18.0.1/16"), bridge.addresses(true));
        create(bed.docker(), "next");
        assertEquals("172.19.0.0/16", subnetV4(bed.docker(), "next"));
    }

    @Test
    void sigkillDuringABurstOfRemovalsLeavesEachNetworkWhollyPresentOrWhollyGone(Testbed bed) throws Exception {
        bed.daemon().start();
        Map<String, String> ids = new TreeMap<>();
        for (int i = 0; i < BURST; i++) {
            HttpReply reply = Bridges.createRaw(bed.api(), "{\"Name\":\"burst" + i + "\"}");
            assertEquals(201, reply.status(), reply::toString);
            ids.put("burst" + i, reply.json().path("Id").asText());
        }
        assertEquals(BURST, Bridges.userBridges(bed.host()).size());

        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        List<Future<CommandResult>> removals = new ArrayList<>();
        List<String> acknowledged = new ArrayList<>();
        try {
            for (String name : ids.keySet()) {
                removals.add(pool.submit(() -> bed.docker().run("network", "rm", name)));
            }
            awaitFirstRemoval(bed);
            bed.daemon().kill9();
            for (Future<CommandResult> removal : removals) {
                CommandResult rm = removal.get(60, TimeUnit.SECONDS);
                if (rm.exitCode() == 0) {
                    acknowledged.add(rm.stdout().strip());
                }
            }
        } finally {
            pool.shutdownNow();
        }

        bed.daemon().start();
        Map<String, String> listed = NetworkIds.fromApi(bed.api());
        Map<String, LinkState> bridges = Bridges.userBridges(bed.host());
        List<String> survivors = new ArrayList<>();
        for (Map.Entry<String, String> network : ids.entrySet()) {
            boolean isListed = listed.containsKey(network.getKey());
            boolean hasDevice = bridges.containsKey(device(network.getValue()));
            assertEquals(isListed, hasDevice, () -> network.getKey() + ": listed=" + isListed + " device=" + hasDevice);
            if (isListed) {
                assertEquals(network.getValue(), listed.get(network.getKey()));
                LinkState bridge = bridges.get(device(network.getValue()));
                assertEquals(List.of(subnetV4(bed.docker(), network.getKey()).replace(".0/", ".1/")),
                        bridge.addresses(true), bridge::toString);
                survivors.add(network.getKey());
            }
        }
        for (String name : acknowledged) {
            assertTrue(!listed.containsKey(name), () -> name + ": rm answered 204 before the crash, yet it is back");
        }
        List<String> expectedDevices = survivors.stream().map(name -> device(ids.get(name))).sorted().toList();
        assertEquals(expectedDevices, List.copyOf(bridges.keySet()), "br- devices without a network");
        System.out.println("burst: " + acknowledged.size() + " removals acknowledged, " + survivors.size() + " of "
                + BURST + " networks survived the SIGKILL");

        for (String name : survivors) {
            bed.docker().ok("network", "rm", name);
        }
        assertEquals(List.of(), List.copyOf(Bridges.userBridges(bed.host()).keySet()));
        create(bed.docker(), "fresh");
        assertEquals("172.18.0.0/16", subnetV4(bed.docker(), "fresh"), "every subnet must be free again");
    }

    @Test
    void anExhaustedPoolFailsTheCreateAndLeavesNothingBehind(Testbed bed) {
        bed.daemon().writeConfig("{\"default-address-pools\":[{\"base\":\"10.200.0.0/23\",\"size\":24}]}\n");
        bed.daemon().start();
        assertEquals(List.of("10.200.0.1/24"), link(bed.host(), "docker0").addresses(true));
        String id = create(bed.docker(), "only");
        assertEquals("10.200.1.0/24", subnetV4(bed.docker(), "only"));
        assertEquals(List.of("10.200.1.1/24"), link(bed.host(), device(id)).addresses(true));
        List<LinkState> links = bed.host().hostLinks();
        Map<String, String> networks = NetworkIds.fromApi(bed.api());

        CommandResult full = bed.docker().run("network", "create", "one-too-many");
        assertEquals(1, full.exitCode(), full::describe);
        assertEquals("Error response from daemon: all predefined address pools have been fully subnetted",
                full.stderr().strip(), full::describe);
        HttpReply raw = Bridges.createRaw(bed.api(), "{\"Name\":\"raw-too-many\"}");
        assertEquals(500, raw.status(), raw::toString);
        assertEquals("all predefined address pools have been fully subnetted", raw.json().path("message").asText());

        assertEquals(links, bed.host().hostLinks());
        assertEquals(networks, NetworkIds.fromApi(bed.api()));
        bed.daemon().restart();
        assertEquals(networks, NetworkIds.fromApi(bed.api()));
        assertEquals(List.of(device(id)), List.copyOf(Bridges.userBridges(bed.host()).keySet()));
    }

    /**
     * Polls until a few {@code br-} devices have gone, so the kill lands mid-burst: removals
     * have reached the kernel while other requests are still queued or in flight.
     */
    @Test
    void theSqliteLibraryIsLoadedFromTheDataRootAcrossKills(Testbed bed) {
        bed.daemon().start();
        String first = sqliteLibrary(bed.daemon().pid());
        assertTrue(first.startsWith(bed.dir().resolve("data").resolve("lib") + "/"),
                "sqlite-jdbc's library must live under the data root, not " + first);
        bed.daemon().kill9();
        bed.daemon().start();
        assertEquals(first, sqliteLibrary(bed.daemon().pid()), "the same file is used again after a SIGKILL");
    }

    /** The file the process has mapped for sqlite-jdbc's native code. */
    private static String sqliteLibrary(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")).stream()
                    .filter(line -> line.contains("sqlitejdbc"))
                    .map(line -> line.substring(line.indexOf('/')))
                    .findFirst().orElseThrow(() -> new AssertionError("no sqlite-jdbc library mapped by " + pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitFirstRemoval(Testbed bed) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode bridges = bed.host().ipHostJson("link", "show", "type", "bridge");
            long userBridges = 0;
            for (JsonNode link : bridges) {
                if (link.path("ifname").asText().startsWith("br-")) {
                    userBridges++;
                }
            }
            if (userBridges <= BURST - KILL_AFTER) {
                return;
            }
        }
        throw new AssertionError("no removal reached the kernel within 20 s");
    }

    private static void assertSameDevice(LinkState before, LinkState after) {
        assertEquals(before.name(), after.name());
        assertEquals(before.mtu(), after.mtu(), after::toString);
        assertEquals(before.addresses(true), after.addresses(true), after::toString);
        assertEquals(before.addresses(false).stream().filter(a -> !a.startsWith("fe80:")).sorted().toList(),
                after.addresses(false).stream().filter(a -> !a.startsWith("fe80:")).sorted().toList(), after::toString);
        assertTrue(after.isUp(), after::toString);
    }
}
