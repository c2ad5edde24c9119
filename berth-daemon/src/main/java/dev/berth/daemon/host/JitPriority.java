package dev.berth.daemon.host;

import dev.berth.kernel.ffm.Libc;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JIT compiler threads at a lower priority (nice {@value #START_NICE}) while berthd starts, and
 * back at the default (0) once it serves.
 *
 * <p>On two vCPUs the start-up is CPU-bound, and the compilers took more of it than the main
 * thread: ~0.55 s of C1 and C2 against ~0.3 s of the main thread by the first answer with an empty
 * store (1.7 s against 0.7 s restoring 1000 sandboxes), most of it compiling code that has run its
 * last time by then (the locale data behind the first date format, the class files spun for the
 * native call handles). The scheduler gives every runnable thread an equal share, so the main
 * thread, which is what the first answer waits for, got a third of the machine. At nice 10 a
 * compiler gets about a tenth of a CPU the main thread wants and all of one nobody wants; the
 * compiles still happen, later. Measured (bench/README, 2026-12-06, interleaved starts): ready
 * ~0.1 s sooner with an empty store and ~0.4 s sooner restoring 1000 sandboxes, with ~0.2 s less
 * CPU by then. After start-up the compilers run at berthd's own priority again (0 unless it was
 * started niced, e.g. by a unit's {@code Nice=}), so the steady state (what a connect compiles in
 * its first hundreds of calls) is as before. A berthd already at nice {@value #START_NICE} or more
 * is left as it is.
 *
 * <p>The threads are found by name in {@code /proc/self/task} ({@code C1 CompilerThread0}, cut to
 * 15 characters by the kernel). Only with {@code CAP_SYS_NICE}, which taking the priority back
 * needs: without it they are left alone.
 */
public final class JitPriority {
    static final int START_NICE = 10;
    /** Bit of {@code CAP_SYS_NICE} in {@code CapEff} of {@code /proc/self/status}. */
    private static final int CAP_SYS_NICE = 23;
    private static final Path TASKS = Path.of("/proc/self/task");

    private final boolean lowered;
    /** The nice value berthd was started with: what {@link #restore} gives the compilers back. */
    private final int original;

    private JitPriority(boolean lowered, int original) {
        this.lowered = lowered;
        this.original = original;
    }

    /** Lowers the compiler threads' priority, if it can be raised again; never throws. */
    public static JitPriority lowerForStartUp() {
        boolean lowered = false;
        int original = 0;
        try {
            original = nice(Files.readString(Path.of("/proc/self/stat")));
            if (original < START_NICE && mayRaise()) {
                for (int tid : compilerThreads()) {
                    Libc.setThreadNice(tid, START_NICE);
                    lowered = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // left as they are (or as far as they got): start-up only takes longer
        }
        return new JitPriority(lowered, original);
    }

    /**
     * The compiler threads back at berthd's own priority (also any started since, which took the
     * lower one from the thread that made them); what went wrong, or "". A failure does not stop
     * the daemon (the caller logs it): its compiles may only come later under load.
     */
    public String restore() {
        if (!lowered) {
            return "";
        }
        try {
            for (int tid : compilerThreads()) {
                Libc.setThreadNice(tid, original);
            }
            return "";
        } catch (IOException | RuntimeException e) {
            return "JIT compiler threads left at nice " + START_NICE + ": " + e.getMessage();
        }
    }

    /** The nice value in a {@code /proc/.../stat} line: field 19, counted after the {@code (comm)}, which may hold spaces. */
    static int nice(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    static boolean isCompiler(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    private static List<Integer> compilerThreads() throws IOException {
        List<Integer> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm"));
                } catch (IOException gone) {
                    continue; // a thread that ended meanwhile
                }
                if (isCompiler(comm)) {
                    tids.add(Integer.parseInt(task.getFileName().toString()));
                }
            }
        }
        return tids;
    }

    /** Whether {@code CapEff} holds {@code CAP_SYS_NICE}. */
    private static boolean mayRaise() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) >>> CAP_SYS_NICE & 1) == 1;
            }
        }
        return false;
    }
}
