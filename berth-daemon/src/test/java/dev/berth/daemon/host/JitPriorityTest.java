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

    /** This JVM's own compilers: niced while "starting", back at 0 after (where the test may take them back). */
    @Test
    void lowersTheCompilersAndTakesThemBack() throws IOException {
        List<Integer> before = compilerNices();
        assertFalse(before.isEmpty(), "no compiler threads found");
        JitPriority jit = JitPriority.lowerForStartUp();
        List<Integer> during = compilerNices();
        assertEquals("", jit.restore());
        List<Integer> after = compilerNices();
        if (during.stream().allMatch(n -> n == JitPriority.START_NICE)) {
            assertTrue(after.stream().allMatch(n -> n == 0), after::toString);
        } else {
            assertEquals(before, during, "left alone without CAP_SYS_NICE");
        }
    }

    private static List<Integer> compilerNices() throws IOException {
        List<Integer> nices = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                if (JitPriority.isCompiler(Files.readString(task.resolve("comm")))) {
                    String stat = Files.readString(task.resolve("stat"));
                    // after "(comm)": state is field 3, nice field 19
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    nices.add(Integer.parseInt(fields[16]));
                }
            }
        }
        return nices;
    }
}
