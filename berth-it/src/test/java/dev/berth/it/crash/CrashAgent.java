package dev.berth.it.crash;

import java.lang.instrument.Instrumentation;

/**
 * A test-only Java agent that turns chosen daemon methods into kill points. Loaded with
 * {@code java -javaagent:crash-agent.jar=<options> -jar berth-daemon.jar ...} by the crash IT;
 * production code knows nothing of it and pays nothing when it is absent.
 *
 * <p>Options, comma-separated {@code key=value}: {@code trace=<file>} appends one line per point
 * hit; {@code arm=<file>} counts points only while that file exists (so set-up requests are not
 * counted), and its content names the point at which to SIGKILL the daemon, just before the step
 * runs (a point is {@code <name>#<occurrence>}, see {@link Probe}; empty content: trace only).
 *
 * <p>The one static field is the bridge from the instrumented bytecode (which can only call a
 * static method) to the probe of this JVM; it is set once in {@link #premain} and never changed.
 */
public final class CrashAgent {
    private static volatile Probe probe;

    private CrashAgent() {
    }

    public static void premain(String options, Instrumentation instrumentation) {
        Probe p = Probe.fromOptions(options == null ? "" : options);
        probe = p;
        instrumentation.addTransformer(new CrashSites(p::instrumented));
    }

    /** Called from the first instruction of every instrumented method. */
    public static void hit(String site, Object detail, Object extra) {
        Probe p = probe;
        if (p != null) {
            p.hit(site, detail, extra);
        }
    }
}
