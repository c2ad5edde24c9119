package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Debian's docker-compose 1.29 (Python, API 1.38), unchanged, on a project with two networks (one with
 * IPAM), aliases, {@code depends_on} and a published port ({@code src/test/resources/clients/compose}):
 * {@code up -d} brings it up in dependency order, the services resolve each other by service name
 * and alias on the networks they share and not across, the published port answers on the host's loopback
 * and from outside, a second {@code up -d} changes nothing, and {@code down} removes every container,
 * network, veth and nft element.
 */
@ExtendWith(TestbedExtension.class)
class ComposeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "berthit";

    private static CommandResult compose(Testbed bed, Path file, String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/docker-compose", "--no-ansi", "-p", PROJECT, "-f", file.toString()));
        argv.addAll(List.of(args));
        return bed.run(argv, Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME", bed.dir().toString(), "DOCKER_HOST", "unix://" + bed.daemon().socket()), Duration.ofSeconds(90));
    }

    private static CommandResult exec(Testbed bed, Path file, String service, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", "-T", service));
        args.addAll(List.of(command));
        return compose(bed, file, args.toArray(String[]::new));
    }

    private static JsonNode inspect(Testbed bed, String container) throws IOException {
        return JSON.readTree(bed.docker().ok("inspect", container).stdout()).get(0);
    }

    @Test
    void aProjectComesUpResolvesPublishesAndGoesAway(Testbed bed) throws Exception {
        bed.daemon().start();
        HostState fresh = HostState.of(bed);
        Path file = bed.dir().resolve("docker-compose.yml");
        Files.copy(Path.of(ComposeIT.class.getResource("/clients/compose/docker-compose.yml").toURI()), file);
        long since = Instant.now().getEpochSecond() - 1;

        CommandResult up = compose(bed, file, "up", "-d");
        assertEquals(0, up.exitCode(), up::describe);
        String web = PROJECT + "_web_1";
        String db = PROJECT + "_db_1";
        String app = PROJECT + "_app_1";
        assertEquals(List.of(app, db, web), bed.docker().ok("ps", "--format", "{{.Names}}").lines().stream().sorted().toList());
        // depends_on: app started after the two it depends on
        Instant appStarted = Instant.parse(inspect(bed, app).at("/State/StartedAt").asText());
        for (String dependency : List.of(web, db)) {
            assertFalse(appStarted.isBefore(Instant.parse(inspect(bed, dependency).at("/State/StartedAt").asText())), dependency);
        }
        // each network ends with its two containers joined: compose 1.29 negotiates API 1.50, misses its
        // short-id alias (moby shows it in Aliases below 1.45 only) and connects each container's first
        // network again, as it does with dockerd 28
        List<String> networkEvents = bed.docker().ok("events", "--since", Long.toString(since), "--until",
                Long.toString(Instant.now().getEpochSecond() + 1), "--filter", "type=network",
                "--format", "{{.Action}} {{.Actor.Attributes.name}}").lines();
        for (String network : List.of(PROJECT + "_front", PROJECT + "_back")) {
            long joined = networkEvents.stream().filter(e -> e.equals("connect " + network)).count()
                    - networkEvents.stream().filter(e -> e.equals("disconnect " + network)).count();
            assertEquals(2, joined, networkEvents::toString);
        }

        // the two networks in the kernel: front with the compose file's subnet; app on both
        JsonNode front = inspect(bed, app).at("/NetworkSettings/Networks/" + PROJECT + "_front");
        assertTrue(front.path("IPAddress").asText().startsWith("10.89.10."), front::toString);
        String frontId = front.path("NetworkID").asText();
        assertTrue(bed.host().hostLink(Bridges.device(frontId)).orElseThrow().addresses().contains("10.89.10.1/24"));
        CommandResult links = exec(bed, file, "app", "ls", "/sys/class/net");
        assertEquals("eth0\neth1\nlo\n", links.stdout(), links::describe);

        // names: service names, aliases and container names on shared networks; nothing across
        String webAddress = inspect(bed, web).at("/NetworkSettings/Networks/" + PROJECT + "_front/IPAddress").asText();
        String dbAddress = inspect(bed, db).at("/NetworkSettings/Networks/" + PROJECT + "_back/IPAddress").asText();
        // (docker exec for most: each docker-compose call starts a Python interpreter, a second under load)
        for (String name : List.of("web", "www", "frontend", web)) {
            CommandResult lookup = bed.docker().run("exec", app, "nslookup", name);
            assertTrue(lookup.exitCode() == 0 && lookup.stdout().contains("Address: " + webAddress), lookup::describe);
        }
        for (String name : List.of("db", "database")) {
            CommandResult ping = bed.docker().run("exec", app, "ping", "-c1", "-W2", name);
            assertTrue(ping.exitCode() == 0 && ping.stdout().contains("(" + dbAddress + ")"), ping::describe);
        }
        CommandResult across = bed.docker().run("exec", db, "ping", "-c1", "-W2", "web");
        assertNotEquals(0, across.exitCode(), across::describe);
        CommandResult page = exec(bed, file, "app", "wget", "-qO-", "http://web/");
        assertEquals("hello-from-web\n", page.stdout(), page::describe);

        // the published port, from the host and from outside
        CommandResult local = bed.run(HostFixture.inNamespace(bed.host().hostNs(), "curl", "-s", "-m", "5", "http://127.0.0.1:8080/"));
        assertEquals("hello-from-web\n", local.stdout(), local::describe);
        CommandResult outside = bed.run(HostFixture.inNamespace(bed.host().upstreamNs(), "curl", "-s", "-m", "5",
                "http://" + HostFixture.HOST_V4 + ":8080/"));
        assertEquals("hello-from-web\n", outside.stdout(), outside::describe);

        // a second up finds everything as it should be
        String webId = inspect(bed, web).path("Id").asText();
        CommandResult again = compose(bed, file, "up", "-d");
        assertEquals(0, again.exitCode(), again::describe);
        assertTrue(again.stderr().contains(web + " is up-to-date"), again::describe);
        assertEquals(webId, inspect(bed, web).path("Id").asText());

        CommandResult down = compose(bed, file, "down");
        assertEquals(0, down.exitCode(), down::describe);
        assertTrue(down.stderr().contains("Removing network " + PROJECT + "_front"), down::describe);
        HostState.awaitBackTo(fresh, bed);
    }
}
