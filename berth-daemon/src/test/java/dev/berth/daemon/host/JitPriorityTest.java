package dev.berth.daemon.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitPriorityTest {

    @Test
    void findsTheCompilerThreadsByTheirCutNames() {
        assertTrue(JitPriority.isCompiler("C1 CompilerThre\n"));
        assertTrue(JitPriority.isCompiler("C2 CompilerThre"));
        assertFalse(JitPriority.isCompiler("main"));
        assertFalse(JitPriority.isCompiler("Compiler"));
    }

    @Test
    void readsTheNiceValueAfterACommandNameWithSpaces() {
        assertEquals(5, JitPriority.nice("4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194368 10 0 0 0 3 1 0 0 25 5 1 0"));
        assertEquals(-3, JitPriority.nice("7 (a) b) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 23 -3 1 0"));
    }

    /** This JVM's own compilers: niced while "starting", back at the process's nice after (where the test may take them back). */
    @Test
    void lowersTheCompilersAndTakesThemBack() throws IOException {
        List<Integer> before = compilerNices();
        assertFalse(before.isEmpty(), "no compiler threads found");
        int process = JitPriority.nice(Files.readString(Path.of("/proc/self/stat")));
        JitPriority jit = JitPriority.lowerForStartUp();
        List<Integer> during = compilerNices();
        assertEquals("", jit.restore());
        List<Integer> after = compilerNices();
        if (during.stream().allMatch(n -> n == JitPriority.START_NICE) && process < JitPriority.START_NICE) {
            assertTrue(after.stream().allMatch(n -> n == process), after::toString);
        } else {
            assertEquals(before, during, "left alone without CAP_SYS_NICE");
        }
    }

    private static List<Integer> compilerNices() throws IOException {
        List<Integer> nices = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                if (JitPriority.isCompiler(Files.readString(task.resolve("comm")))) {
                    nices.add(JitPriority.nice(Files.readString(task.resolve("stat"))));
                }
            }
        }
        return nices;
    }
}
