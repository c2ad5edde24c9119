package dev.berth.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.BerthBuild;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Crash injection (issue 9): SIGKILL the daemon at each step of each operation, restart it, and
 * check that it converges (see {@link CrashCampaign}). Prints the figure
 * {@code CRASH kill points tried / converged: T / C} and every failing point with what was wrong,
 * and writes them to {@code target/crash-report.txt}.
 *
 * <p>System properties: {@code berth.crash.mode} = {@code ci} (default: every point of
 * {@code disconnect} and {@code network-rm}, and the middle point of each other operation, which
 * for the two reloads of {@link ReloadOperations} is mid-way through the sandboxes' re-addressing;
 * the reverted reload is left out; about 2 minutes)
 * or {@code full} (every point of every operation; {@code bench/reliability.sh crash}) or
 * {@code trace} (only list the points);
 * {@code berth.crash.ops} = comma-separated operation names to run (default all);
 * {@code berth.crash.strict} = {@code true} (default: an operation with a point that did not
 * converge fails its test) or {@code false} (report only).
 *
 * <p>Strict is the contract of issue 9. While the start-up repair and live-restore fixes are not
 * merged, points of connect/publish/run/rm fail (see the report); to keep CI green meanwhile, run
 * it with {@code -Dberth.crash.strict=false} or flip {@link #STRICT_BY_DEFAULT}, which still
 * prints the figure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashIT {
    private static final List<String> FULLY_IN_CI = List.of("disconnect", "network-rm");
    /** Operations CI leaves out (unless named in {@code berth.crash.ops}): its two reload points are enough. */
    private static final List<String> NOT_IN_CI = List.of("reload-renumber-reverted");

    private final List<CrashReport> reports = new ArrayList<>();
    private CrashCampaign campaign;
    private Path work;
    private final String mode = System.getProperty("berth.crash.mode", "ci");
    private final boolean full = mode.equals("full");
    /** See the class comment: the one switch between "report" and "fail" when the property is not given. */
    static final boolean STRICT_BY_DEFAULT = true;
    private final boolean strict = Boolean.parseBoolean(System.getProperty("berth.crash.strict",
            Boolean.toString(STRICT_BY_DEFAULT)));

    @TestFactory
    Stream<DynamicTest> killAtEveryStep() throws IOException {
        work = Files.createTempDirectory("berth-crash-agent-");
        Path agent = AgentJar.write(work.resolve("crash-agent.jar"));
        String marker = "73" + (100000 + new SecureRandom().nextInt(900000));
        Path logs = Files.isDirectory(Path.of("target")) ? Path.of("target", "crash-logs") : null;
        if (logs != null && Files.isDirectory(logs)) {
            delete(logs); // the logs of an earlier run would mix with this one's
        }
        campaign = new CrashCampaign(BerthBuild.fromSystemProperty(), agent, marker, System.out, logs);
        String only = System.getProperty("berth.crash.ops", "");
        List<String> wanted = only.isBlank() ? List.of() : Arrays.asList(only.split(","));
        Stream<DynamicTest> operations = CrashOperation.all().stream()
                .filter(op -> wanted.isEmpty() ? !mode.equals("ci") || !NOT_IN_CI.contains(op.name())
                        : wanted.contains(op.name()))
                .map(op -> DynamicTest.dynamicTest(op.name(), () -> {
                    CrashReport report = campaign.run(op, choose(op));
                    reports.add(report);
                    System.out.print("CRASH " + report.describe());
                    if (strict) {
                        assertTrue(report.failures().isEmpty() && report.tracedRunProblems().isEmpty(),
                                report::describe);
                    }
                }));
        // Kill points come from methods found by name: one renamed or moved must fail loudly, not
        // take its points with it. Checked over all operations (a class loads when first used).
        DynamicTest sites = DynamicTest.dynamicTest("every crash site instrumented",
                () -> assertEquals(List.of(), campaign.uninstrumented()));
        return Stream.concat(operations, Stream.of(sites));
    }

    /** Which points (by index in the operation's trace of {@code count}) to kill at. */
    private IntFunction<IntPredicate> choose(CrashOperation op) {
        if (mode.equals("trace")) {
            return count -> i -> false;
        }
        if (full || FULLY_IN_CI.contains(op.name())) {
            return count -> i -> true;
        }
        return count -> i -> i == count / 2;
    }

    @AfterAll
    void printFigure() throws IOException {
        if (campaign != null) {
            campaign.close();
            delete(work);
        }
        int tried = reports.stream().mapToInt(CrashReport::tried).sum();
        int converged = reports.stream().mapToInt(CrashReport::converged).sum();
        int points = reports.stream().mapToInt(CrashReport::pointCount).sum();
        StringBuilder text = new StringBuilder();
        text.append("CRASH mode ").append(mode).append(": ").append(points)
                .append(" distinct kill points in ").append(reports.size()).append(" operations\n");
        reports.forEach(r -> text.append(r.describe()));
        text.append(categories());
        text.append("CRASH kill points tried / converged: ").append(tried).append(" / ").append(converged).append('\n');
        System.out.print(text);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("crash-report.txt"), text);
        }
    }

    /** How many failing points showed each kind of problem (a point can show several). */
    private String categories() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (CrashReport r : reports) {
            for (List<String> problems : r.failures().values()) {
                problems.stream().map(CrashIT::category).distinct().forEach(c -> counts.merge(c, 1, Integer::sum));
            }
        }
        StringBuilder out = new StringBuilder();
        counts.forEach((c, n) -> out.append("CRASH failing points with ").append(c).append(": ").append(n).append('\n'));
        return out.toString();
    }

    private static String category(String problem) {
        for (String prefix : List.of("failed start", "acknowledged change lost", "unacknowledged change",
                "point not reached", "harness error", "daemon died")) {
            if (problem.startsWith(prefix)) {
                return prefix;
            }
        }
        int colon = problem.indexOf(':');
        return colon > 0 ? problem.substring(0, colon) : problem;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
