package dev.berth.bench;

import dev.berth.kernel.ffm.Libc;
import dev.berth.kernel.ffm.UdpBatch;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A DNS load generator that costs the server's machine less than dnsperf: one thread, a few
 * connected UDP sockets, queries sent with {@code sendmmsg} and answers read with
 * {@code recvmmsg} in batches (berth-kernel's {@link UdpBatch}; sockets and {@code ppoll} from
 * {@link Libc}), no allocation per query. dnsperf ({@code -T 1}) spends 8–9 µs
 * of its own CPU per query on this machine, so on 2 CPUs it caps every server near 118k qps;
 * this client shows what the servers do when the client is cheaper, and prints its own CPU
 * per query so that the reader sees its ceiling too.
 * <pre>
 *   nsenter --net=NS java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar dev.berth.bench.DnsLoad \
 *       -s 127.0.0.11 -d queries.txt -l 15 [-p 53] [-c 4] [-q 100] [-Q rate] [-w 3] [--server-pid PID]
 * </pre>
 * The query file has dnsperf's format ({@code name TYPE}, A or AAAA), used in order, round
 * robin. {@code -c} sockets (each connected to the server, so the kernel spreads them over a
 * server's {@code SO_REUSEPORT} sockets as it does dnsperf's), at most {@code -q} queries in
 * flight in all (as dnsperf's {@code -q}); {@code -Q} limits the rate (queries per second) as
 * dnsperf's. {@code -w} seconds of unmeasured load first (this JVM's JIT), then the measured
 * seconds without a pause: the answers that arrive in them are counted, including those to the
 * (at most {@code -q}) queries sent just before. Nothing on the hot path tests whether it
 * measures, so that the start does not make the JIT recompile it. A query unanswered
 * after 1 s is lost. Output in dnsperf's words (so the bench's parser reads both), plus the
 * latency percentiles, the client's own CPU over the measured seconds (its thread, from
 * {@code ThreadMXBean}) and, with {@code --server-pid}, the server's CPU over the same seconds
 * (utime + stime of all its threads from {@code /proc/PID/stat}), and the whole machine's busy and total CPU
 * time over them ({@code /proc/stat}: what else ran beside the client and the server).
 *
 * <p>With {@code --alternate FILE2 [--phase S]} the measured seconds are cut into phases of
 * {@code S} seconds (default 1) that send the queries of {@code -d} (A) and of {@code FILE2} (B)
 * in the order A B B A, A B B A, ...: one client, one JVM, the same sockets and the same thread
 * placement for both sets, and a drift over time weighs on A and B alike within each block of
 * four. The {@code -w} seconds before them are one such block too, unmeasured. Each phase's
 * first {@value #GUARD_MILLIS} ms are not counted (answers to the other set's queries may still
 * arrive then). Printed per phase: its set, QPS and, with {@code --server-pid},
 * the server's CPU per answer; then per block B's QPS over A's ({@code ALT_BLOCK}), and each
 * set's rcodes. The totals above them count both sets.
 */
public final class DnsLoad {
    /** Bytes per datagram slot (queries and answers here are far smaller). */
    private static final int BUF = 512;
    /** Datagrams per sendmmsg / recvmmsg. */
    private static final int BATCH = 64;
    private static final long TIMEOUT_NANOS = 1_000_000_000L;
    /** Latency histogram: 1 µs buckets up to 1 s. */
    private static final int BUCKETS = 1_000_001;
    /** The start of each alternating phase that is not counted. */
    private static final long GUARD_MILLIS = 50;

    /** One connected socket and its slots (a query in flight each). */
    private static final class Sock {
        final int fd;
        final int window;
        final long[] sentAt;
        final int[] idOf;
        final int[] free;
        int freeCount;
        int nextId;

        Sock(int fd, int window) {
            this.fd = fd;
            this.window = window;
            this.sentAt = new long[window];
            this.idOf = new int[window];
            this.free = new int[window];
            for (int i = 0; i < window; i++) {
                free[i] = window - 1 - i;
                idOf[i] = -1;
            }
            this.freeCount = window;
        }
    }

    private DnsLoad() {}

    public static void main(String[] args) throws Throwable {
        String server = null;
        String file = null;
        int port = 53;
        int clients = 4;
        int inFlight = 100;
        double seconds = 15;
        double rate = 0;
        double warm = 3;
        long serverPid = -1;
        String alternate = null;
        double phase = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "-s" -> server = args[++i];
                case "-d" -> file = args[++i];
                case "-p" -> port = Integer.parseInt(v == null ? "" : args[++i]);
                case "-c" -> clients = Integer.parseInt(v == null ? "" : args[++i]);
                case "-q" -> inFlight = Integer.parseInt(v == null ? "" : args[++i]);
                case "-l" -> seconds = Double.parseDouble(v == null ? "" : args[++i]);
                case "-Q" -> rate = Double.parseDouble(v == null ? "" : args[++i]);
                case "-w" -> warm = Double.parseDouble(v == null ? "" : args[++i]);
                case "--server-pid" -> serverPid = Long.parseLong(v == null ? "" : args[++i]);
                case "--alternate" -> alternate = v == null ? "" : args[++i];
                case "--phase" -> phase = Double.parseDouble(v == null ? "" : args[++i]);
                default -> usage("unknown argument " + a);
            }
        }
        if (server == null || file == null || clients < 1 || inFlight < clients || seconds <= 0 || port < 1 || port > 65535) {
            usage("need -s SERVER -d FILE, -c >= 1, -q >= -c, -l > 0");
        }
        if (alternate != null && (alternate.isEmpty() || phase * 1000 <= 2 * GUARD_MILLIS || seconds < 4 * phase)) {
            usage("--alternate FILE2 needs --phase > " + 2 * GUARD_MILLIS / 1000.0 + " s and -l at least 4 phases");
        }
        byte[][] queries = queries(Path.of(file));
        byte[][] other = alternate == null ? null : queries(Path.of(alternate));
        new DnsLoad().run(InetAddress.ofLiteral(server), port, queries, other, clients, inFlight, seconds, phase, rate, warm,
                serverPid);
    }

    private static void usage(String why) {
        System.err.println("DnsLoad: " + why);
        System.err.println("usage: DnsLoad -s SERVER -d QUERYFILE [-p 53] [-c 4] [-q 100] [-l 15] [-Q RATE] [-w 3] [--server-pid PID]"
                + " [--alternate QUERYFILE2 [--phase 1]]");
        System.exit(2);
    }

    /** dnsperf's query file: {@code name TYPE} per line (A or AAAA), as wire queries with id 0, RD. */
    static byte[][] queries(Path file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 2 || f[0].isEmpty()) {
                continue;
            }
            int type = switch (f[1].toUpperCase(Locale.ROOT)) {
                case "A" -> 1;
                case "AAAA" -> 28;
                default -> throw new IllegalArgumentException("type " + f[1] + " (A or AAAA only): " + line);
            };
            out.add(query(f[0], type));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no queries in " + file);
        }
        return out.toArray(byte[][]::new);
    }

    static byte[] query(String name, int type) {
        var b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.write(l.length);
            b.writeBytes(l);
        }
        b.write(0);
        b.write(type >> 8);
        b.write(type);
        b.write(0);
        b.write(1);
        return b.toByteArray();
    }

    /** The datagrams of one sendmmsg or recvmmsg, for every socket in turn (one thread). */
    private final UdpBatch batch = UdpBatch.connected(BATCH, BUF);
    /** An answer's id and flags, copied out of the batch. */
    private final byte[] head = new byte[4];
    private final long[] histogram = new long[BUCKETS];
    private final long[] rcodes = new long[16];
    private long sent;
    private long completed;
    private long lost;
    private long latencySum;
    /**
     * Where answers' rcodes are counted besides {@link #rcodes}: a set's counts in an alternating
     * run's measured phases, else a scratch array (so that counting takes no branch that the
     * measurement's start would flip: the JIT would deoptimise the hot loop right then).
     */
    private long[] setCodes = new long[16];
    private int next;
    private MemorySegment timespec;

    private void run(InetAddress server, int port, byte[][] queries, byte[][] other, int clients, int inFlight,
                     double seconds, double phase, double rate, double warm, long serverPid) throws Throwable {
        if (!(server instanceof Inet4Address v4)) {
            throw new IOException("an IPv4 server address, not " + server.getHostAddress());
        }
        try (Arena arena = Arena.ofConfined(); batch) {
            timespec = arena.allocate(16, 8);
            MemorySegment addr = Libc.inetAddress(arena, v4, port);
            Sock[] socks = new Sock[clients];
            MemorySegment pfds = arena.allocate((long) Libc.POLLFD_SIZE * clients, 4);
            for (int i = 0; i < clients; i++) {
                int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
                Libc.connect(fd, addr);
                int window = inFlight / clients + (i < inFlight % clients ? 1 : 0);
                socks[i] = new Sock(fd, window);
                pfds.set(JAVA_INT, (long) Libc.POLLFD_SIZE * i, fd);
                pfds.set(JAVA_SHORT, (long) Libc.POLLFD_SIZE * i + 4, Libc.POLLIN);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long now = System.nanoTime();
            if (warm > 0 && other != null) {
                // one block A B B A unmeasured: both sets' paths warm, and switched between, in the
                // server and here, before the first measured phase
                for (int p = 0; p < 4; p++) {
                    next = 0;
                    loop(socks, pfds, p == 1 || p == 2 ? other : queries, System.nanoTime(), now + (long) ((p + 1) * warm / 4 * 1e9),
                            rate);
                }
                next = 0;
            } else if (warm > 0) {
                loop(socks, pfds, queries, now, now + (long) (warm * 1e9), rate);
            }
            // no drain between the warm-up and the measurement: the pipeline stays full, and the
            // answers to the (at most -q) queries sent before the start count in it
            reset();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long user0 = threads.getCurrentThreadUserTime();
            long srv0 = serverPid > 0 ? serverTicks(serverPid) : 0;
            long[] machine0 = machineTicks();
            long start = System.nanoTime();
            String alternating = null;
            if (other == null) {
                loop(socks, pfds, queries, start, start + (long) (seconds * 1e9), rate);
            } else {
                alternating = alternate(socks, pfds, queries, other, start, start + (long) (seconds * 1e9), phase, rate, serverPid);
            }
            long end = System.nanoTime();
            long cpu1 = threads.getCurrentThreadCpuTime();
            long user1 = threads.getCurrentThreadUserTime();
            long srv1 = serverPid > 0 ? serverTicks(serverPid) : 0;
            long[] machine1 = machineTicks();
            report(server, port, clients, inFlight, rate, (end - start) / 1e9, (cpu1 - cpu0) / 1e9,
                    (user1 - user0) / 1e9, serverPid > 0 ? (srv1 - srv0) / 100.0 : Double.NaN);
            System.out.printf(Locale.ROOT, "MACHINE_CPU busy=%.2f total=%.2f%n",
                    (machine1[0] - machine0[0]) / 100.0, (machine1[1] - machine0[1]) / 100.0);
            if (alternating != null) {
                System.out.print(alternating);
            }
            drain(socks, pfds);   // what is still in flight, after the report: not counted in it
            for (Sock s : socks) {
                Libc.close(s.fd);
            }
        }
    }

    /**
     * The alternating measurement (see the class comment) from {@code start} to {@code until}:
     * phases A B B A ... of {@code phase} seconds, each counted after its guard. Returns the lines
     * to print.
     */
    private String alternate(Sock[] socks, MemorySegment pfds, byte[][] a, byte[][] b, long start, long until, double phase,
                             double rate, long serverPid) throws Throwable {
        long[][] codes = new long[2][16];
        long[] scratch = setCodes;
        int phases = (int) ((until - start) / (long) (phase * 1e9));
        double[] qps = new double[phases];
        StringBuilder out = new StringBuilder();
        for (int p = 0; p < phases; p++) {
            int set = p % 4 == 1 || p % 4 == 2 ? 1 : 0;
            byte[][] queries = set == 0 ? a : b;
            next = 0;
            long t0 = start + (long) (p * phase * 1e9);
            long t1 = start + (long) ((p + 1) * phase * 1e9);
            setCodes = scratch;
            loop(socks, pfds, queries, t0, t0 + GUARD_MILLIS * 1_000_000L, rate);
            long done0 = completed;
            long srv0 = serverPid > 0 ? serverTicks(serverPid) : 0;
            long from = System.nanoTime();
            setCodes = codes[set];
            loop(socks, pfds, queries, from, t1, rate);
            long to = System.nanoTime();
            long answers = completed - done0;
            qps[p] = answers / ((to - from) / 1e9);
            out.append(String.format(Locale.ROOT, "ALT_PHASE %d %s qps=%.0f%s%n", p + 1, set == 0 ? "A" : "B", qps[p],
                    serverPid > 0 && answers > 0
                            ? String.format(Locale.ROOT, " server_us_per_answer=%.2f", (serverTicks(serverPid) - srv0) * 1e4 / answers)
                            : ""));
        }
        setCodes = scratch;
        for (int p = 0; p + 3 < phases; p += 4) {
            out.append(String.format(Locale.ROOT, "ALT_BLOCK %d b_over_a=%.4f%n", p / 4 + 1,
                    (qps[p + 1] + qps[p + 2]) / (qps[p] + qps[p + 3])));
        }
        out.append("ALT_CODES A ").append(codeText(codes[0])).append('\n');
        out.append("ALT_CODES B ").append(codeText(codes[1])).append('\n');
        return out.toString();
    }

    private void reset() {
        java.util.Arrays.fill(histogram, 0);
        java.util.Arrays.fill(rcodes, 0);
        sent = completed = lost = latencySum = 0;
    }

    /** Sends and reads until {@code until}; {@code rate} 0: as fast as the window allows. */
    private void loop(Sock[] socks, MemorySegment pfds, byte[][] queries, long start, long until, double rate)
            throws Throwable {
        long lastSweep = start;
        long allowed = Long.MAX_VALUE;
        long sentHere = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= until) {
                return;
            }
            if (rate > 0) {
                allowed = (long) ((now - start) / 1e9 * rate) + 1 - sentHere;
            }
            for (Sock s : socks) {
                if (allowed <= 0) {
                    break;
                }
                int n = send(s, queries, (int) Math.min(allowed, BATCH), now);
                sentHere += n;
                allowed -= n;
            }
            int got = 0;
            for (Sock s : socks) {
                got += receive(s);
            }
            if (got == 0) {
                boolean waiting = false;
                for (Sock s : socks) {
                    waiting |= s.freeCount < s.window;
                }
                long wait = waiting ? 100_000_000L : 0;
                if (rate > 0) {
                    long due = start + (long) ((sentHere + 1) / rate * 1e9) - System.nanoTime();
                    wait = Math.max(0, waiting ? Math.min(wait, due) : due);
                }
                if (wait > 0) {
                    poll(pfds, socks.length, wait);
                }
            }
            if (now - lastSweep > 100_000_000L) {
                lastSweep = now;
                for (Sock s : socks) {
                    expire(s, now);
                }
            }
        }
    }

    /** Waits up to 1 s for what is still in flight (after the report: what it counts no longer matters). */
    private void drain(Sock[] socks, MemorySegment pfds) throws Throwable {
        long until = System.nanoTime() + TIMEOUT_NANOS;
        while (System.nanoTime() < until) {
            boolean waiting = false;
            for (Sock s : socks) {
                receive(s);
                waiting |= s.freeCount < s.window;
            }
            if (!waiting) {
                break;
            }
            poll(pfds, socks.length, 10_000_000L);
        }
        for (Sock s : socks) {
            expire(s, Long.MAX_VALUE);
        }
    }

    /** ppoll for readable sockets, at most {@code nanos}. */
    private void poll(MemorySegment pfds, int n, long nanos) throws Throwable {
        timespec.set(JAVA_LONG, 0, nanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, nanos % 1_000_000_000L);
        Libc.ppoll(pfds, n, timespec);
    }

    private int send(Sock s, byte[][] queries, int max, long now) throws Throwable {
        int n = Math.min(s.freeCount, max);
        if (n == 0) {
            return 0;
        }
        for (int i = 0; i < n; i++) {
            int slot = s.free[s.freeCount - 1 - i];
            int id = (s.nextId++ & 0xFFFF) / s.window * s.window + slot;   // id % window == slot
            if (id > 0xFFFF) {
                id = slot;
            }
            byte[] q = queries[next];
            next = next + 1 == queries.length ? 0 : next + 1;
            q[0] = (byte) (id >> 8);
            q[1] = (byte) id;
            batch.queue(q, q.length);
            s.idOf[slot] = id;
            s.sentAt[slot] = now;
        }
        int done = batch.send(s.fd);
        for (int i = done; i < n; i++) {
            s.idOf[s.free[s.freeCount - 1 - i]] = -1;   // not sent: the slot stays free
        }
        s.freeCount -= done;
        sent += done;
        return done;
    }

    private int receive(Sock s) throws Throwable {
        int total = 0;
        while (s.freeCount < s.window) {
            int r = batch.receive(s.fd);
            if (r <= 0) {
                return total;
            }
            long now = System.nanoTime();
            for (int i = 0; i < r; i++) {
                if (batch.length(i) < 12) {
                    continue;
                }
                batch.copy(i, head);
                int id = (head[0] & 0xFF) << 8 | head[1] & 0xFF;
                int slot = id % s.window;
                if (s.idOf[slot] != id) {
                    continue;   // late answer to a query counted lost
                }
                s.idOf[slot] = -1;
                s.free[s.freeCount++] = slot;
                long micros = (now - s.sentAt[slot]) / 1000;
                histogram[(int) Math.min(BUCKETS - 1, micros)]++;
                latencySum += now - s.sentAt[slot];
                rcodes[head[3] & 0x0F]++;
                setCodes[head[3] & 0x0F]++;
                completed++;
            }
            total += r;
            if (r < BATCH) {
                return total;
            }
        }
        return total;
    }

    private void expire(Sock s, long now) {
        for (int slot = 0; slot < s.window; slot++) {
            if (s.idOf[slot] >= 0 && now - s.sentAt[slot] > TIMEOUT_NANOS) {
                s.idOf[slot] = -1;
                s.free[s.freeCount++] = slot;
                lost++;
            }
        }
    }

    private static long serverTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14, 15)
    }

    /**
     * The whole machine's CPU ticks from /proc/stat's first line: {busy, total}, busy being all but
     * idle and iowait (steal included: time the host gave to others).
     */
    private static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total - Long.parseLong(f[4]) - Long.parseLong(f[5]), total};
    }

    private double percentile(double q) {
        long n = 0;
        for (long c : histogram) {
            n += c;
        }
        long rank = (long) (q * (n - 1));
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen > rank) {
                return i / 1e6;
            }
        }
        return Double.NaN;
    }

    /** {@code NOERROR 1234 (99.50%), NXDOMAIN ...}: the rcodes counted, as dnsperf prints them. */
    private static String codeText(long[] counts) {
        String[] names = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
        long all = 0;
        for (long c : counts) {
            all += c;
        }
        StringBuilder codes = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                codes.append(codes.isEmpty() ? "" : ", ").append(i < names.length ? names[i] : "RCODE" + i)
                        .append(' ').append(counts[i])
                        .append(String.format(Locale.ROOT, " (%.2f%%)", 100.0 * counts[i] / Math.max(1, all)));
            }
        }
        return codes.toString();
    }

    private void report(InetAddress server, int port, int clients, int inFlight, double rate, double runtime,
                        double cpu, double user, double serverCpu) {
        String codes = codeText(rcodes);
        System.out.printf(Locale.ROOT, """
                DnsLoad (recvmmsg/sendmmsg, one thread) to %s:%d, %d sockets, %d queries in flight%s
                  Queries sent:         %d
                  Queries completed:    %d (%.2f%%)
                  Queries lost:         %d (%.2f%%)
                  Response codes:       %s
                  Run time (s):         %.6f
                  Queries per second:   %.6f
                  Average Latency (s):  %.6f
                  Latency p50/p99/p99.9 (s): %.6f %.6f %.6f
                LOADGEN_CPU user=%.2f sys=%.2f
                %s""",
                server.getHostAddress(), port, clients, inFlight, rate > 0 ? String.format(Locale.ROOT, ", at most %.0f qps", rate) : "",
                sent, completed, 100.0 * completed / Math.max(1, sent), lost, 100.0 * lost / Math.max(1, sent),
                codes, runtime, completed / runtime, completed == 0 ? 0 : latencySum / 1e9 / completed,
                percentile(0.50), percentile(0.99), percentile(0.999), user, cpu - user,
                Double.isNaN(serverCpu) ? "" : String.format(Locale.ROOT, "SERVER_CPU s=%.2f%n", serverCpu));
    }
}
