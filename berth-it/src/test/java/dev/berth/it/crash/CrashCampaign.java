package dev.berth.it.crash;

import dev.berth.it.fixture.BerthBuild;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Testbed;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Runs one operation under crash injection. First a traced run without a kill lists the
 * operation's points (and must itself converge); then for each chosen point: set up, arm the agent
 * with that point, run the operation (the daemon dies at the point), restart the daemon without a
 * kill, and check convergence:
 * <ol>
 *   <li>the daemon starts (after what the operation's user does meanwhile:
 *       {@link CrashOperation#beforeRestart});</li>
 *   <li>an acknowledged operation (the client got its answer) shows its effect;</li>
 *   <li>a sandbox whose process ran before the kill still runs (live-restore);</li>
 *   <li>the kernel matches what the API says, with traffic ({@link Convergence});</li>
 *   <li>an unacknowledged one that shows no (whole) effect can be finished through the API
 *       ({@link CrashOperation#finish}), and then the kernel matches too;</li>
 *   <li>after removing everything through the API, nothing is left compared to the state taken
 *       right after the first start ({@link KernelSnapshot}).</li>
 * </ol>
 * A point that fails any of these is reported with what was wrong, and the testbed is replaced so
 * that the next point starts clean.
 */
final class CrashCampaign implements AutoCloseable {
    private static final String NOT_REACHED = "point not reached";
    private static final Duration DEATH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(800);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

    private final BerthBuild build;
    private final Path agentJar;
    private final String marker;
    private final PrintStream log;
    private final Path logDir;
    private int savedLogs;
    private Testbed bed;
    private KernelSnapshot baseline;
    /** The {@code # site} lines of every traced run: what the agent instrumented. */
    private final java.util.Set<String> seenSites = new java.util.HashSet<>();

    /** {@code logDir}: where the daemon logs of failing points go (null: nowhere). */
    CrashCampaign(BerthBuild build, Path agentJar, String marker, PrintStream log, Path logDir) {
        this.logDir = logDir;
        this.build = build;
        this.agentJar = agentJar;
        this.marker = marker;
        this.log = log;
    }

    /**
     * Traces the operation, then kills at each point the choice accepts (by index in the trace;
     * the choice is given the number of points). The testbed carries over to the next operation.
     */
    CrashReport run(CrashOperation op, IntFunction<IntPredicate> choice) {
        CrashReport report = new CrashReport(op.name());
        if (bed == null) {
            freshBed(report, "<start>");
        }
        List<String> points = trace(op, report);
        IntPredicate chosen = choice.apply(points.size());
        report.points(points);
        log.println("CRASH " + op.name() + ": " + points.size() + " kill points");
        for (int i = 0; i < points.size(); i++) {
            if (chosen.test(i)) {
                String point = points.get(i);
                List<String> problems = attempt(op, point);
                if (problems.size() == 1 && problems.getFirst().startsWith(NOT_REACHED)) {
                    // A step done once per host (IPv6 forwarding, say) only happens on a fresh host
                    // namespace, as in the traced run: try again on one.
                    freshBed(report, point);
                    problems = attempt(op, point);
                }
                report.tried(point, problems);
                log.println("CRASH " + op.name() + " " + (i + 1) + "/" + points.size() + " " + point + ": "
                        + (problems.isEmpty() ? "converged" : "FAILED " + problems));
                if (!problems.isEmpty()) {
                    freshBed(report, point);
                }
            }
        }
        return report;
    }

    private List<String> attempt(CrashOperation op, String point) {
        List<String> problems = new ArrayList<>();
        try {
            problems.addAll(killAt(op, point));
        } catch (AssertionError | RuntimeException e) {
            problems.add("harness error: " + String.valueOf(e.getMessage()).lines().limit(6).toList());
        }
        return problems;
    }

    private List<String> trace(CrashOperation op, CrashReport report) {
        op.setup().accept(bed, marker);
        long from = traceLength();
        arm("");
        CommandResult result = op.act().apply(bed, marker);
        awaitQuietTrace();
        disarm();
        List<String> lines = traceLines(from);
        List<String> problems = new ArrayList<>();
        if (result.exitCode() != 0) {
            problems.add("the operation failed without a kill: " + result.describe());
        }
        problems.addAll(Convergence.check(bed));
        problems.addAll(cleanUp(op));
        traceLines(0).stream().filter(l -> l.startsWith("# site ")).map(l -> l.substring(7)).forEach(seenSites::add);
        report.tracedRun(problems);
        LinkedHashSet<String> points = new LinkedHashSet<>();
        lines.stream().filter(l -> !l.startsWith("#")).map(l -> l.split("\t")[0]).forEach(points::add);
        if (!problems.isEmpty()) {
            log.println("CRASH " + op.name() + ": run without a kill did not converge: " + problems);
            freshBed(report, "<trace>");
        }
        return List.copyOf(points);
    }

    private List<String> killAt(CrashOperation op, String point) {
        List<String> problems = new ArrayList<>();
        op.setup().accept(bed, marker);
        List<String> runningBefore = CrashOperation.running(bed);
        long from = traceLength();
        arm(point);
        CommandResult result = op.act().apply(bed, marker);
        boolean acked = result.exitCode() == 0;
        Optional<Integer> exit = bed.daemon().awaitExit(DEATH_TIMEOUT);
        disarm();
        if (exit.isEmpty()) {
            problems.add(NOT_REACHED + " (daemon still alive " + DEATH_TIMEOUT.toSeconds() + " s after the call)");
            bed.daemon().stop();
        } else if (traceLines(from).stream().noneMatch(l -> l.equals("# KILL " + point))) {
            problems.add("daemon died (exit " + exit.get() + ") but not at the point");
        }
        op.beforeRestart().accept(bed);
        try {
            bed.daemon().start();
        } catch (AssertionError e) {
            problems.add("failed start after the kill: " + startFailure(e.getMessage()));
            return problems;
        }
        boolean applied = op.applied().test(bed, marker);
        List<String> runningAfter = CrashOperation.running(bed);
        List<String> existing = bed.docker().ok("ps", "-a", "--format", "{{.Names}}").lines();
        for (String name : runningBefore) {
            if (existing.contains(name) && !runningAfter.contains(name)) {
                problems.add("sandbox " + name + " ran before the kill and no longer runs after the restart");
            }
        }
        if (acked && !applied) {
            problems.add("acknowledged change lost: the API does not show it after the restart");
        }
        problems.addAll(prefixed("after restart", Convergence.check(bed)));
        if (!applied) {
            CommandResult again = op.finish().apply(bed, marker);
            if (again.exitCode() != 0) {
                problems.add("unacknowledged change neither complete nor absent: finishing it fails: "
                        + again.stderr().strip());
            } else if (!op.applied().test(bed, marker)) {
                problems.add("unacknowledged change neither complete nor absent: finishing it succeeds but the API"
                        + " does not show the change");
            } else {
                problems.addAll(prefixed("after finishing it", Convergence.check(bed)));
            }
        }
        problems.addAll(cleanUp(op));
        return problems;
    }

    /**
     * Removes every container and network through the API, resets the operation's configuration
     * ({@link CrashOperation#reset}), then compares with the baseline.
     */
    private List<String> cleanUp(CrashOperation op) {
        List<String> problems = new ArrayList<>();
        for (String id : bed.docker().ok("ps", "-aq").lines()) {
            CommandResult r = bed.docker().run("rm", "-f", id);
            if (r.exitCode() != 0) {
                problems.add("cleanup: docker rm -f " + id + " fails: " + r.stderr().strip());
            }
        }
        CommandResult prune = bed.docker().run("network", "prune", "-f");
        if (prune.exitCode() != 0) {
            problems.add("cleanup: docker network prune fails: " + prune.stderr().strip());
        }
        problems.addAll(op.reset().apply(bed));
        // The link reaper deletes veths and retired bridges off the request path: give it a moment.
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        List<String> leaks = KernelSnapshot.take(bed, marker).diff(baseline);
        while (!leaks.isEmpty() && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(200));
            leaks = KernelSnapshot.take(bed, marker).diff(baseline);
        }
        problems.addAll(prefixed("after removing everything", leaks));
        return problems;
    }

    /**
     * Replaces the testbed after a failing point; its daemon logs go to the log directory first
     * (the testbed's directory is deleted, else every failure would leave one behind).
     */
    private void freshBed(CrashReport report, String after) {
        if (bed != null) {
            saveLogs(report.operation(), after);
            List<String> teardown = bed.tearDown();
            if (!teardown.isEmpty()) {
                report.note(after + ": testbed teardown found " + teardown);
            }
            deleteDir(bed);
        }
        bed = Testbed.create(build);
        bed.daemon().jvmOptions(List.of("-javaagent:" + agentJar + "=trace=" + tracePath() + ",arm=" + armPath()));
        bed.daemon().start();
        baseline = KernelSnapshot.take(bed, marker);
    }

    private void deleteDir(Testbed old) {
        try {
            old.deleteDir();
        } catch (UncheckedIOException e) {
            log.println("CRASH cannot delete " + old.dir() + ": " + e.getMessage());
        }
    }

    private void saveLogs(String operation, String point) {
        if (logDir == null) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            Path file = logDir.resolve(String.format("%03d-%s.log", ++savedLogs, operation));
            Files.writeString(file, "point: " + point + "\n" + bed.report() + "\n----- trace -----\n"
                    + String.join("\n", traceLines(0)) + "\n");
        } catch (IOException e) {
            log.println("CRASH cannot save logs: " + e);
        }
    }

    private Path tracePath() {
        return bed.dir().resolve("crash-trace");
    }

    private Path armPath() {
        return bed.dir().resolve("crash-arm");
    }

    /** Creates the arm file with its content in one step (the agent reads it when it appears). */
    private void arm(String point) {
        Path next = bed.dir().resolve("crash-arm.next");
        write(next, point);
        try {
            Files.move(next, armPath(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void disarm() {
        try {
            Files.deleteIfExists(armPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long traceLength() {
        try {
            return Files.exists(tracePath()) ? Files.size(tracePath()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sites of {@link CrashSites#SITES} the agent never instrumented in any traced run so far: a
     * renamed or moved method, whose kill points would otherwise vanish without a word.
     */
    List<String> uninstrumented() {
        return CrashSites.SITES.stream().map(CrashSites.Site::label)
                .filter(label -> seenSites.stream().noneMatch(l -> l.startsWith(label + "(")))
                .distinct()
                .map(label -> "site " + label + " was never instrumented (renamed or moved? see CrashSites)")
                .toList();
    }

    private List<String> traceLines(long from) {
        try {
            byte[] all = Files.exists(tracePath()) ? Files.readAllBytes(tracePath()) : new byte[0];
            return new String(all, (int) from, all.length - (int) from, java.nio.charset.StandardCharsets.UTF_8)
                    .lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the trace has not grown for {@link #QUIET} (background steps of the operation). */
    private void awaitQuietTrace() {
        long size = traceLength();
        long quietSince = System.nanoTime();
        long deadline = quietSince + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() - quietSince < QUIET.toNanos() && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(100));
            long now = traceLength();
            if (now != size) {
                size = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static String startFailure(String message) {
        return message.lines().filter(l -> l.contains("failed to start") || l.contains("exited with"))
                .limit(2).toList().toString();
    }

    private static List<String> prefixed(String when, List<String> problems) {
        return problems.stream().map(p -> when + ": " + p).toList();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (bed != null) {
            List<String> teardown = bed.tearDown();
            if (!teardown.isEmpty()) {
                log.println("CRASH final testbed teardown found " + teardown);
            }
            deleteDir(bed);
            bed = null;
        }
    }
}
