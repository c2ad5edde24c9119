package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AOT cache is only as good as the run it is recorded from: every trained command must take
 * its real path against the canned daemon (a command that failed on a missing canned answer would
 * leave its code out of the cache, silently).
 */
class AotTrainingTest {

    @Test
    void everyCommandSucceedsButTheDeliberateDaemonError() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<Integer> statuses = AotTraining.play(1, new PrintStream(printed, true, StandardCharsets.UTF_8));

        List<Integer> expected = new ArrayList<>();
        for (List<String> command : AotTraining.COMMANDS) {
            expected.add(command.equals(List.of("network", "inspect", "missing")) ? 1 : 0);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(expected, statuses, output);
        assertTrue(output.contains("NETWORK ID     NAME      DRIVER    SCOPE"), output);
        assertTrue(output.contains("Error response from daemon: network missing not found"), output);
    }
}
