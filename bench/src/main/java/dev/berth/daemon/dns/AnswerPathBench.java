package dev.berth.daemon.dns;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The embedded DNS server's own work per UDP answer, without sockets: what a serving thread does
 * between reading a query and sending its reply ({@code DnsServer.answerHere}), for the two sets
 * of {@code bench/dns.sh}'s DnsLoad rows. {@code local}: {@code c1..c50 A} and {@code AAAA} asked
 * in turn by {@code c1}, all on one user-defined network (as dns.sh makes them); {@code nx}:
 * {@code c999 A}, answered from the answer cache with the NXDOMAIN the upstream gave (no SOA, as
 * dns.sh's upstream dnsmasq answers a name without dots), as every query but the first few after
 * each expiry is. Each fork asks both sets many times before JMH's warm-up, as the daemon's warm-up
 * does, so the JIT compiles the serving path from a profile that has seen both; a fork that has
 * only ever seen one path may compile it differently (in a harness, NX asked alone came out 20 ns
 * slower per answer than NX after both).
 *
 * <p>It says which path costs the server more, not what the NX target asks: the kernel's
 * part of an answer (µs) is not in it, and the DnsLoad rows carry the whole. In this package
 * because the classes it calls are the package's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(3)
public class AnswerPathBench {
    private static final int NAMES = 50;
    private static final int WARM_ROUNDS = 5_000;

    private NameTable table;
    private SandboxId asker;
    private final PlainAnswers plain = new PlainAnswers();
    private final AnswerCache cache = new AnswerCache(Forwarder.Settings.CACHE_ENTRIES, 5);
    private final byte[] out = new byte[4096];
    private byte[][] local;
    private byte[] nx;
    private long now;
    private int next;

    @Setup
    public void setUp() throws IOException {
        Network net = new Network(new NetworkId("a".repeat(64)), "dnsbnet", "bridge", Instant.EPOCH, "local",
                new Network.Ipam("default", null, List.of()),
                new Network.Flags(true, true, false, false, false, false), new TreeMap<>(Map.of()), new TreeMap<>());
        List<NameTable.Entry> entries = new ArrayList<>();
        local = new byte[2 * NAMES][];
        for (int i = 1; i <= NAMES; i++) {
            String id = "%064x".formatted(i);
            Sandbox s = new Sandbox(new SandboxId(id), "c" + i, id.substring(0, 12), "/run/netns/c" + i,
                    Instant.EPOCH, "dnsbnet");
            Endpoint e = new Endpoint(new EndpointId(id), net.id(), s.id(), "eth0", "veth" + i,
                    "02:00:00:00:00:01", IpPrefix.parse("172.18.0." + (i + 1) + "/16"),
                    IpPrefix.parse("fd00:1::" + Integer.toHexString(i + 1) + "/64"), List.of(), Endpoint.Requested.NONE);
            entries.add(new NameTable.Entry(net, s, e));
            if (i == 1) {
                asker = s.id();
            }
            local[2 * (i - 1)] = query("c" + i, Type.A);
            local[2 * (i - 1) + 1] = query("c" + i, Type.AAAA);
        }
        table = NameTable.build(entries);
        nx = query("c999", Type.A);
        now = System.nanoTime();
        if (plain.answer(nx, nx.length, asker, table, Resolver.UDP_LIMIT, out) != PlainAnswers.NOT_LOCAL) {
            throw new IllegalStateException("c999 is not a forwarded name here");
        }
        cache.put(plain.key(), Responses.error(nx, Rcode.NXDOMAIN), now);
        for (byte[] q : local) {
            if (answerHere(q) <= 0) {
                throw new IllegalStateException("a local name is not answered on the thread");
            }
        }
        if (answerHere(nx) <= 0 || (out[3] & 0x0f) != Rcode.NXDOMAIN) {
            throw new IllegalStateException("c999 is not answered from the cache");
        }
        // Both paths, as the daemon's warm-up asks them (dns.sh): the JIT compiles the serving path
        // from a profile that has seen both, not from the one path a fork then measures.
        for (int round = 0; round < WARM_ROUNDS; round++) {
            for (byte[] q : local) {
                answerHere(q);
                answerHere(nx);
            }
        }
    }

    private static byte[] query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)).toWire();
    }

    /** As {@code DnsServer.answerHere} with the cache on: the reply's length in {@link #out}. */
    private int answerHere(byte[] query) {
        int n = plain.answer(query, query.length, asker, table, Resolver.UDP_LIMIT, out);
        return n == PlainAnswers.NOT_LOCAL ? cache.get(plain.key(), query, now, out) : n;
    }

    @Benchmark
    public int local() {
        byte[] q = local[next];
        next = next + 1 == local.length ? 0 : next + 1;
        return answerHere(q);
    }

    @Benchmark
    public int nx() {
        byte[] q = nx;
        next = next + 1 == local.length ? 0 : next + 1; // the same bookkeeping as local's
        return answerHere(q);
    }
}
