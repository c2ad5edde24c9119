package dev.berth.it.crash;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's state in one daemon JVM: names each point hit, counts occurrences per name, appends
 * them to the trace and SIGKILLs the process at the chosen one.
 *
 * <p>A point's name is {@code <kind> <what> @ <caller>}, e.g.
 * {@code netlink create veth @ EndpointLinks.create < BridgeDriver.join}: {@code <what>} is the
 * leading words of the action (device names, addresses, ids and paths with digits are dropped, so
 * the name is the same in every run), {@code <caller>} the two innermost daemon frames outside the
 * kernel module. Points are identified by {@code <name>#<n>}, the n-th hit of that name since
 * arming: stable even when a background thread (the link reaper, the DNS feed) interleaves
 * differently from run to run, which a single global counter would not be.
 */
final class Probe {
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final Path trace;
    private final Path arm;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private boolean armed;
    private String crashAt = "";

    private Probe(Path trace, Path arm) {
        this.trace = trace;
        this.arm = arm;
    }

    static Probe fromOptions(String options) {
        Path trace = null;
        Path arm = null;
        for (String option : options.split(",")) {
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            switch (key) {
                case "trace" -> trace = Path.of(option.substring(eq + 1));
                case "arm" -> arm = Path.of(option.substring(eq + 1));
                default -> throw new IllegalArgumentException("crash agent: unknown option " + option);
            }
        }
        if (arm == null) {
            throw new IllegalArgumentException("crash agent: arm=<file> is required");
        }
        return new Probe(trace, arm);
    }

    /** Records that a site was instrumented (a line starting with {@code # site}). */
    void instrumented(String label) {
        append("# site " + label);
    }

    void hit(String kind, Object detail, Object extra) {
        String target = armedTarget();
        if (target == null) {
            return;
        }
        String what = PointNames.what(kind, detail, extra);
        if (what == null) {
            return; // a read (netlink GET, API GET/HEAD): no state to cut in half
        }
        String name = kind + " " + what + " @ " + caller();
        int n = counts.merge(name, 1, Integer::sum);
        String point = name + "#" + n;
        append(point + "\t" + Thread.currentThread().getName() + "\t" + PointNames.oneLine(detail));
        if (point.equals(target)) {
            append("# KILL " + point);
            Suicide.now();
        }
    }

    /**
     * Null while the arm file is absent; else the point to kill at (its content, empty for a trace
     * only). Counting starts afresh each time the file appears, so one daemon serves many rounds.
     */
    private synchronized String armedTarget() {
        boolean present = Files.exists(arm);
        if (present != armed) {
            armed = present;
            counts.clear();
            crashAt = present ? readTarget() : "";
        }
        return present ? crashAt : null;
    }

    private String readTarget() {
        try {
            return Files.readString(arm).strip();
        } catch (IOException e) {
            return ""; // removed between the check and the read: this round ends anyway
        }
    }

    private static String caller() {
        String frames = WALKER.walk(s -> s
                .filter(f -> f.getClassName().startsWith("dev.berth.")
                        && !f.getClassName().startsWith("dev.berth.kernel.")
                        && !f.getClassName().startsWith("dev.berth.it.crash.")
                        && !f.getClassName().startsWith("dev.berth.daemon.store.")
                        && !f.getClassName().endsWith(".Dispatcher"))
                .limit(2)
                .map(f -> simple(f.getClassName()) + "." + f.getMethodName())
                .reduce((a, b) -> a + " < " + b)
                .orElse(""));
        return frames.isEmpty() ? "thread " + PointNames.stable(Thread.currentThread().getName()) : frames;
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private synchronized void append(String line) {
        if (trace == null) {
            return;
        }
        try (FileOutputStream out = new FileOutputStream(trace.toFile(), true)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("crash agent: write " + trace, e);
        }
    }

    /** {@code kill(getpid(), SIGKILL)}: the process dies exactly as from {@code kill -9}. */
    private static final class Suicide {
        private static final int SIGKILL = 9;

        static void now() {
            try {
                Linker linker = Linker.nativeLinker();
                MethodHandle kill = linker.downcallHandle(linker.defaultLookup().find("kill").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                int ignored = (int) kill.invokeExact((int) ProcessHandle.current().pid(), SIGKILL);
                while (true) {
                    Thread.onSpinWait(); // SIGKILL is on its way; never run the step
                }
            } catch (Throwable t) {
                throw new IllegalStateException("crash agent: kill(SIGKILL) failed " + t.toString().toLowerCase(Locale.ROOT), t);
            }
        }
    }
}
