package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Testcontainers (2.0.5, unchanged, with its shaded docker-java) against Berth: {@link TestcontainersProbe}
 * runs in a JVM of its own with {@code DOCKER_HOST} set, as a user's test run would. Ryuk, Testcontainers'
 * reaper, is an image pulled from Docker Hub, which this machine cannot reach, so it is disabled
 * ({@code TESTCONTAINERS_RYUK_DISABLED=true}, Testcontainers' documented switch); its replacement, the
 * JVM shutdown hook that prunes containers, networks, volumes and images by session label, then runs
 * against Berth too and must not fail.
 */
@ExtendWith(TestbedExtension.class)
class TestcontainersIT {
    private static final Pattern ADDRESS = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");

    @Test
    void networksAliasesAndConnectWork(Testbed bed) throws IOException, InterruptedException {
        bed.daemon().start();
        HostState fresh = HostState.of(bed);
        Path home = Files.createDirectories(bed.dir().resolve("testcontainers-home"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", home.toString());
        env.put("DOCKER_HOST", "unix://" + bed.daemon().socket());
        env.put("TESTCONTAINERS_RYUK_DISABLED", "true");
        List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), TestcontainersProbe.class.getName());
        CommandResult run = bed.run(argv, env, Duration.ofSeconds(90));
        assertEquals(0, run.exitCode(), run::describe);
        // the shutdown hook's prune (and anything else) threw nothing: no stack trace at all
        assertFalse(run.stderr().contains("Exception in thread") || run.stderr().contains("\tat "), run::describe);
        Map<String, String> seen = new LinkedHashMap<>();
        run.lines().stream().filter(l -> l.contains("=")).forEach(l -> seen.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));

        assertEquals("true", seen.get("done"), run::describe);
        assertEquals("true", seen.get("server.running"), run::describe);
        assertEquals("ready", seen.get("server.logs"), run::describe);
        assertNotEquals("0", seen.get("before.ping"), run::describe);
        Matcher server = ADDRESS.matcher(seen.get("server.addresses"));
        assertTrue(server.find(), run::describe);
        // the alias answers with the server's address on the network both now share, and the ping went through
        assertTrue(seen.get("after.ping").startsWith("0 PING srv (" + server.group(1) + ")"), run::describe);
        assertTrue(seen.get("lookup.late").matches("0 \\d+\\.\\d+\\.\\d+\\.\\d+"), run::describe);
        assertEquals("eth0,eth1,lo", seen.get("client.links"), run::describe);
        String aliases = seen.get("client.aliases");
        // Testcontainers sends its requests at an API version below 1.45: moby's older form, the short id an alias too
        assertTrue(aliases.matches("\\{back=\\[tc-\\w+, client, ([0-9a-f]{12})], front=\\[late, \\1]}"), run::describe);
        // Testcontainers removed what it made: nothing left in the API, the kernel or the firewall
        assertEquals("3", seen.get("left.networks"), run::describe);
        assertEquals("0", seen.get("left.containers"), run::describe);
        HostState.awaitBackTo(fresh, bed);
    }
}
