package dev.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.format.HumanDuration;
import dev.berth.cli.shell.CommandFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code berth ps}'s table and {@code berth exec}'s command line. */
class PsAndExecTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void psTableAsDockerPrintsIt() throws Exception {
        JsonNode running = MAPPER.readTree("""
                {"Id":"0123456789abcdef0123","Names":["/c1"],"Image":"berth/sandbox","Command":"sleep 300",
                 "Created":1000,"Ports":[],"State":"running","Status":"Up 5 seconds"}""");
        JsonNode exited = MAPPER.readTree("""
                {"Id":"fedcba9876543210fedc","Names":["/long"],"Image":"berth/sandbox",
                 "Command":"sh -c echo a very long command","Created":880,"Ports":[],"State":"exited",
                 "Status":"Exited (3) 2 minutes ago"}""");
        String table = PsCommand.table(List.of(running, exited), Instant.ofEpochSecond(1005));
        assertEquals("""
                CONTAINER ID   IMAGE           COMMAND                  CREATED         STATUS                     PORTS     NAMES
                0123456789ab   berth/sandbox   "sleep 300"              5 seconds ago   Up 5 seconds                         c1
                fedcba987654   berth/sandbox   "sh -c echo a very l…"   2 minutes ago   Exited (3) 2 minutes ago             long
                """, table);
        assertEquals("0123456789ab\nfedcba987654\n", PsCommand.ids(List.of(running, exited)));
    }

    @Test
    void humanDurations() {
        assertEquals("Less than a second", HumanDuration.of(Duration.ofMillis(300)));
        assertEquals("About a minute", HumanDuration.of(Duration.ofSeconds(61)));
        assertEquals("3 hours", HumanDuration.of(Duration.ofHours(3)));
        assertEquals("3 days", HumanDuration.of(Duration.ofDays(3)));
    }

    @Test
    void execCommandLine() {
        assertEquals(List.of("cat", "/etc/hostname"), ExecCommand.command(List.of("c1", "--", "cat", "/etc/hostname")));
        assertEquals(List.of("sh", "-c", "exit 5"), ExecCommand.command(List.of("c1", "sh", "-c", "exit 5")));
        assertThrows(CommandFailure.class, () -> ExecCommand.command(List.of("c1", "--")));
        assertEquals(List.of("nsenter", "--target", "42", "--net", "--mount", "--uts", "--pid", "--", "true"),
                ExecCommand.argv(42, List.of("true")));
    }
}
