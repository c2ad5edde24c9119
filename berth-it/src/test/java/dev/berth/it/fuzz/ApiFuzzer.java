package dev.berth.it.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs generated requests against a live daemon in batches and checks, around every batch:
 * the daemon is alive, every request was answered or its connection closed in time, no 5xx, and,
 * for batches where no state-changing request succeeded, that the state (as {@code snapshot}
 * renders it: API lists, kernel links and addresses, nft table) is exactly what it was. After a
 * batch where something did succeed, {@code reset} puts the fixture back and a new baseline is
 * taken. A separate lane runs the slow clients alongside.
 */
public final class ApiFuzzer {
    /** A 5xx or state change, with the request that caused it. */
    public record Finding(String what, String request, String answer) {
    }

    /** What the run measured. */
    public record Figures(long requests, Map<String, Long> statuses, long closed, long hangs, long refused,
                          long serverErrors, Map<String, Long> serverErrorKinds, List<Finding> findings,
                          long cleanBatches, long dirtyBatches, long stateChanges, long slowClients,
                          long slowHangs, double seconds) {
        public String render() {
            return String.format("requests=%d in %.0f s (%.0f/s); statuses=%s; closed-without-answer=%d; hangs=%d; "
                            + "refused=%d; 5xx=%d %s; batches checked for state (no accepted change)=%d, "
                            + "with an accepted change=%d; state changes from rejected requests=%d; slow clients=%d "
                            + "(not dropped in time: %d)", requests, seconds, requests / seconds, statuses, closed,
                    hangs, refused, serverErrors, serverErrorKinds, cleanBatches, dirtyBatches, stateChanges,
                    slowClients, slowHangs);
        }
    }

    /** The hooks into the fixture: the current targets, a state rendering, and a reset. */
    public interface Bed {
        Targets targets();

        String snapshot();

        /** Removes what accepted requests made, re-creates the targets if they are gone. */
        Targets reset();

        boolean daemonAlive();
    }

    private final Path socket;
    private final Bed bed;
    private final long seed;
    private final int workers;
    private final int batch;

    public ApiFuzzer(Path socket, Bed bed, long seed, int workers, int batch) {
        this.socket = socket;
        this.bed = bed;
        this.seed = seed;
        this.workers = workers;
        this.batch = batch;
    }

    public Figures run(long total, int slowClients) throws Exception {
        long start = System.nanoTime();
        Map<String, Long> statuses = new TreeMap<>();
        Map<String, Long> kinds = new TreeMap<>();
        Map<String, Long> acceptedKinds = new TreeMap<>();
        long snapshotNanos = 0;
        List<Finding> findings = new ArrayList<>();
        long versionRejects = 0, closed = 0, hangs = 0, refused = 0, errors = 0, clean = 0, dirty = 0, changes = 0;
        RequestFactory factory = new RequestFactory(seed, bed.targets(), 0);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        Future<long[]> slowLane = Executors.newVirtualThreadPerTaskExecutor().submit(() -> slowLane(slowClients, findings));
        try (RawExchange exchange = new RawExchange(socket, Duration.ofSeconds(15))) {
            String baseline = settled();
            for (long sent = 0; sent < total; sent += batch) {
                List<FuzzRequest> requests = new ArrayList<>();
                for (int i = 0; i < Math.min(batch, total - sent); i++) {
                    requests.add(factory.next());
                }
                List<Future<RawExchange.Outcome>> futures = new ArrayList<>();
                for (FuzzRequest r : requests) {
                    futures.add(pool.submit(() -> exchange.send(r)));
                }
                boolean accepted = false;
                for (int i = 0; i < requests.size(); i++) {
                    FuzzRequest r = requests.get(i);
                    RawExchange.Outcome o = futures.get(i).get(5, TimeUnit.MINUTES);
                    switch (o.kind()) {
                        case CLOSED -> closed++;
                        case HANG -> {
                            hangs++;
                            keep(findings, new Finding("hang", r.printable(600), o.head()));
                        }
                        case REFUSED -> refused++;
                        case ANSWERED -> {
                            statuses.merge(o.status() / 100 + "xx", 1L, Long::sum);
                            if (o.status() == 505) {
                                versionRejects++; // an HTTP version it does not speak: the right answer (RFC 9110)
                            } else if (o.status() >= 500) {
                                errors++;
                                String kind = o.status() + " " + r.template() + " "
                                        + firstLine(o.bodyStart()).replaceAll("[0-9a-f]{12,64}", "<id>");
                                if (kinds.merge(kind, 1L, Long::sum) == 1) {
                                    keep(findings, new Finding("5xx", r.printable(1500), o.bodyStart()));
                                }
                            }
                            if (r.mutating() && o.status() < 400 && !noop(r, o)) {
                                accepted = true;
                                acceptedKinds.merge(r.template(), 1L, Long::sum);
                            }
                        }
                    }
                }
                if ((sent / batch) % 40 == 0) {
                    System.err.printf("fuzz: %d/%d requests, %d 5xx, %d hangs, %.0f s%n", sent, total, errors, hangs,
                            (System.nanoTime() - start) / 1e9);
                }
                if (!bed.daemonAlive()) {
                    throw new AssertionError("daemon died in the batch starting at request " + sent + "; first: "
                            + requests.getFirst().printable(300));
                }
                long t0 = System.nanoTime();
                if (accepted) {
                    dirty++;
                    factory.retarget(bed.reset());
                    baseline = settled();
                } else {
                    clean++;
                    String after = bed.snapshot();
                    if (!after.equals(baseline)) {
                        changes++;
                        keep(findings, new Finding("state changed by rejected requests", describe(requests),
                                diff(baseline, after)));
                        factory.retarget(bed.reset());
                        baseline = settled();
                    }
                }
                snapshotNanos += System.nanoTime() - t0;
            }
            System.err.printf("fuzz: accepted (state-changing) requests %s; %.0f s spent on state checks%n",
                    acceptedKinds, snapshotNanos / 1e9);
        } finally {
            pool.shutdownNow();
        }
        long[] slow = slowLane.get(10, TimeUnit.MINUTES);
        statuses.put("of which 505 (unsupported HTTP version)", versionRejects);
        return new Figures(total, statuses, closed, hangs, refused, errors, kinds, findings, clean, dirty, changes,
                slow[0], slow[1], (System.nanoTime() - start) / 1e9);
    }

    /**
     * A snapshot once the daemon's background work is done: a disconnect deletes its veth and a
     * network removal its (renamed) bridge after the request has been answered.
     */
    private String settled() throws InterruptedException {
        String last = bed.snapshot();
        int stable = 0;
        for (int i = 0; i < 100 && stable < 3; i++) {
            Thread.sleep(250);
            String now = bed.snapshot();
            // retired bridges (bx-) and detached veths (gone...) are deleted by the reaper in a quiet moment
            // and an IPv6 address stays "tentative" until its duplicate address detection is done
            stable = now.equals(last) && !now.contains("\"bx-") && !now.contains("\"gone")
                    && !now.contains("\"tentative\"") ? stable + 1 : 0;
            last = now;
        }
        if (stable < 3) {
            throw new AssertionError("the daemon's state did not settle within 25 s after a reset");
        }
        return last;
    }

    /** Slow clients, a few at a time: each must be answered or dropped by the daemon in time. */
    private long[] slowLane(int count, List<Finding> findings) throws Exception {
        RequestFactory factory = new RequestFactory(seed ^ 0x5L, bed.targets(), 1);
        long hung = 0;
        try (RawExchange exchange = new RawExchange(socket, Duration.ofSeconds(15));
             ExecutorService lane = Executors.newFixedThreadPool(4)) {
            List<Future<RawExchange.Outcome>> futures = new ArrayList<>();
            List<FuzzRequest> requests = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                FuzzRequest r = factory.next();
                requests.add(r);
                futures.add(lane.submit(() -> exchange.send(r)));
            }
            for (int i = 0; i < count; i++) {
                RawExchange.Outcome o = futures.get(i).get(30, TimeUnit.MINUTES);
                if (o.kind() == RawExchange.Kind.HANG) {
                    hung++;
                    keep(findings, new Finding("slow client not dropped", requests.get(i).printable(600), o.head()));
                }
            }
        }
        return new long[] {count, hung};
    }

    /**
     * A 2xx that changes nothing the snapshot shows: a prune that deleted nothing; start and kill
     * of the target sandbox, which has no process (if they did change something, the state check
     * of the batch reports it).
     */
    private static boolean noop(FuzzRequest r, RawExchange.Outcome o) {
        return r.template().endsWith("/networks/prune") && o.bodyStart().replace(" ", "").contains("\"NetworksDeleted\":null")
                || r.template().endsWith("/start") || r.template().endsWith("/kill");
    }

    private static String describe(List<FuzzRequest> requests) {
        StringBuilder b = new StringBuilder();
        for (FuzzRequest r : requests) {
            if (r.mutating()) {
                b.append(r.printable(300)).append('\n');
            }
        }
        return b.toString();
    }

    private static String diff(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        StringBuilder out = new StringBuilder();
        a.stream().filter(l -> !b.contains(l)).limit(20).forEach(l -> out.append("- ").append(l).append('\n'));
        b.stream().filter(l -> !a.contains(l)).limit(20).forEach(l -> out.append("+ ").append(l).append('\n'));
        return out.toString();
    }

    private static String firstLine(String body) {
        String line = body.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) : line;
    }

    /** At most 100 findings of each kind (5xx, hang, state change...), so one kind cannot hide another. */
    private static void keep(List<Finding> findings, Finding finding) {
        synchronized (findings) {
            if (findings.stream().filter(f -> f.what().equals(finding.what())).count() < 100) {
                findings.add(finding);
            }
        }
    }

    /** VmRSS of a process in kB, from {@code /proc/<pid>/status}. */
    public static long rssKb(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** VmRSS in kB after a full GC of the daemon ({@code jcmd <pid> GC.run}) and a moment for the heap to shrink. */
    public static long rssAfterGc(long pid) throws java.io.IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("jcmd " + pid + " GC.run failed");
        }
        Thread.sleep(500);
        return rssKb(pid);
    }

    /** Every figure and finding as printable lines. */
    public static String report(Figures f) {
        StringBuilder out = new StringBuilder("FUZZ-API ").append(f.render()).append('\n');
        for (Finding finding : f.findings()) {
            out.append("  [").append(finding.what()).append("] ").append(finding.request()).append("\n    -> ")
                    .append(finding.answer().replace("\n", "\n       ")).append('\n');
        }
        return out.toString();
    }
}
