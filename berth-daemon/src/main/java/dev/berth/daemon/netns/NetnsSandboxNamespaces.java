package dev.berth.daemon.netns;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Sandbox;
import dev.berth.core.spi.SandboxNamespaces;
import dev.berth.kernel.netlink.NfProto;
import dev.berth.kernel.netlink.NftBatch;
import dev.berth.kernel.netlink.NftDnatRules;
import dev.berth.kernel.netlink.NftExpr;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.netns.NsVisitors;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The {@link SandboxNamespaces} port over {@code kernel.netns} and {@code kernel.netlink}: a task
 * runs on the namespace handle's own thread inside the sandbox's namespace ({@code NetNs.call}),
 * the start-up pass's visits on the {@link NsVisitors}' few threads; the earlier redirect is read
 * with one rule dump ({@link NftDnatRules}); the DNS redirect is one nf_tables transaction written
 * over netlink from inside that namespace ({@link NftBatch}: no libnftables, whose
 * {@code select()} aborts the daemon once its socket's descriptor is 1024 or more), replacing the
 * rules of the table {@code ip berth-dns} ({@link DeviceNames#NFT_DNS_TABLE}). The same
 * transaction keeps the sandbox's MLD reports in (table {@code ip6 berth-quiet},
 * {@link DeviceNames#NFT_QUIET_TABLE}): see {@link #redirect}.
 */
public final class NetnsSandboxNamespaces implements SandboxNamespaces {
    private static final NftBatch.Table TABLE = new NftBatch.Table(NfProto.IPV4, DeviceNames.NFT_DNS_TABLE);
    private static final NftBatch.Chain OUTPUT = new NftBatch.Chain(TABLE, "output");
    private static final NftBatch.Chain POSTROUTING = new NftBatch.Chain(TABLE, "postrouting");
    private static final NftBatch.Table QUIET = new NftBatch.Table(NfProto.IPV6, DeviceNames.NFT_QUIET_TABLE);
    private static final NftBatch.Chain QUIET_OUTPUT = new NftBatch.Chain(QUIET, "output");
    private static final Inet4Address LISTEN = (Inet4Address) InetAddress.ofLiteral("127.0.0.11");
    private static final int UDP = 17;
    private static final int TCP = 6;
    private static final int ICMPV6 = 58;
    /**
     * {@code icmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report }}: the
     * types (131, 132, 143) as an anonymous set, as libnftables writes it, with nft's data type
     * ({@code icmpv6_type}, 29), so {@code nft list} prints the rule as the nft text reads.
     */
    private static final NftExpr.AnonymousSet MLD_TYPES = new NftExpr.AnonymousSet(29, 1,
            List.of(new byte[] {(byte) 131}, new byte[] {(byte) 132}, new byte[] {(byte) 143}));
    /** Where {@link #callAfterDnsRedirectEach} runs its visits; null: one after another. */
    private final NsVisitors visitors;

    public NetnsSandboxNamespaces() {
        this(null);
    }

    /** With {@code visitors} for the start-up pass over every sandbox ({@link #callAfterDnsRedirectEach}). */
    public NetnsSandboxNamespaces(NsVisitors visitors) {
        this.visitors = visitors;
    }

    @Override
    public <T> T call(Sandbox sandbox, Supplier<T> task) {
        try (NetNs ns = NetNs.open(Path.of(sandbox.netnsPath()))) {
            return ns.call(task::get);
        }
    }

    /**
     * One nf_tables batch ({@link #redirect}) on a netlink socket opened on the namespace handle's
     * thread inside the sandbox's namespace and closed again; a refused batch changes nothing and
     * throws a {@code KernelException} naming the refused message and the errno.
     */
    @Override
    public void redirectDns(Sandbox sandbox, int udpPort, int tcpPort) {
        NftBatch batch = redirect(udpPort, tcpPort);
        call(sandbox, () -> {
            batch.commit();
            return null;
        });
    }

    /**
     * Reads the DNAT rules of {@code ip berth-dns}'s output chain straight from the kernel
     * ({@link NftDnatRules}: one netlink dump) and
     * takes the two DNS targets from them. Reading deletes nothing.
     */
    @Override
    public Optional<DnsPorts> dnsRedirect(Sandbox sandbox) {
        return call(sandbox, NetnsSandboxNamespaces::redirectHere);
    }

    @Override
    public <T> T callAfterDnsRedirect(Sandbox sandbox, Function<Optional<DnsPorts>, T> task) {
        return call(sandbox, () -> task.apply(redirectHere()));
    }

    /**
     * One visit per sandbox on the visitors' few threads, which go from namespace to namespace
     * (no thread started per sandbox); each namespace handle is closed once its task ran.
     */
    @Override
    public <T> List<CompletableFuture<T>> callAfterDnsRedirectEach(List<Sandbox> sandboxes,
                                                                   BiFunction<Sandbox, Optional<DnsPorts>, T> task) {
        if (visitors == null) {
            return SandboxNamespaces.super.callAfterDnsRedirectEach(sandboxes, task);
        }
        List<CompletableFuture<T>> out = new ArrayList<>();
        for (Sandbox s : sandboxes) {
            NetNs ns;
            try {
                ns = NetNs.open(Path.of(s.netnsPath()));
            } catch (RuntimeException e) {
                out.add(CompletableFuture.failedFuture(e));
                continue;
            }
            out.add(visitors.submit(ns, () -> task.apply(s, redirectHere())).whenComplete((v, e) -> ns.close()));
        }
        CompletableFuture.allOf(out.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return out;
    }

    /** On a thread inside the namespace: its DNS redirect. */
    private static Optional<DnsPorts> redirectHere() {
        return redirectOf(NftDnatRules.read(OUTPUT));
    }

    /**
     * The ports of the redirect {@link #redirect} writes, among a chain's DNAT rules: port 53 on
     * {@code 127.0.0.11} sent to {@code 127.0.0.11}, one rule for UDP and one for TCP; empty unless both are there.
     */
    static Optional<DnsPorts> redirectOf(List<NftDnatRules.Dnat> rules) {
        int udp = target(rules, UDP);
        int tcp = target(rules, TCP);
        return udp > 0 && tcp > 0 ? Optional.of(new DnsPorts(udp, tcp)) : Optional.empty();
    }

    private static int target(List<NftDnatRules.Dnat> rules, int l4proto) {
        for (NftDnatRules.Dnat d : rules) {
            if (d.l4proto() == l4proto && d.dport() == 53 && LISTEN.equals(d.daddr()) && LISTEN.equals(d.to())) {
                return d.toPort();
            }
        }
        return -1;
    }

    /**
     * Docker's rules (behavior reference §4.2), in one table of our own: DNAT of port 53 on
     * 127.0.0.11 to the listeners in the output hook, and the replies' source port back to 53 in
     * postrouting. As nft text:
     * <pre>
     * add table ip berth-dns
     * add chain ip berth-dns output { type nat hook output priority -100; policy accept; }
     * add chain ip berth-dns postrouting { type nat hook postrouting priority 100; policy accept; }
     * flush chain ip berth-dns output
     * flush chain ip berth-dns postrouting
     * add rule ip berth-dns output ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:UDPPORT
     * add rule ip berth-dns output ip daddr 127.0.0.11 tcp dport 53 dnat to 127.0.0.11:TCPPORT
     * add rule ip berth-dns postrouting ip saddr 127.0.0.11 udp sport UDPPORT snat to :53
     * add rule ip berth-dns postrouting ip saddr 127.0.0.11 tcp sport TCPPORT snat to :53
     * add table ip6 berth-quiet
     * add chain ip6 berth-quiet output { type filter hook output priority 0; policy accept; }
     * flush chain ip6 berth-quiet output
     * add rule ip6 berth-quiet output icmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report } drop
     * </pre>
     * A re-run replaces the rules in the same transaction: the chains are flushed, not the table
     * deleted, because anything a transaction deletes is freed after an RCU grace period (10-13 ms
     * on every sandbox's first redirect, where there is nothing to delete; flushing empty chains
     * deletes nothing).
     *
     * <p>With it, in the same transaction: the sandbox's MLD reports and leaves are dropped on the
     * way out. Nothing listens to them: Berth's bridges have no multicast snooping (multicast
     * reaches every port anyway) and VXLAN floods every group to every peer. Sent, each was flooded
     * to every port of the bridge and received by every other sandbox: four per IPv6 interface,
     * 1-2.5 ms of kernel time each at 1000 sandboxes, which made the k-th IPv6 attach grow from ~7
     * to ~22 ms. The router solicitations and link-local DAD of an IPv6 interface are off by sysctl
     * ({@link NamedNetnsRuntime}).
     */
    static NftBatch redirect(int udpPort, int tcpPort) {
        return new NftBatch().addTable(TABLE)
                .addBaseChain(OUTPUT, "nat", NftBatch.Hook.OUTPUT, -100)
                .addBaseChain(POSTROUTING, "nat", NftBatch.Hook.POSTROUTING, 100)
                .flush(OUTPUT).flush(POSTROUTING)
                .addRule(OUTPUT, toListener(UDP, udpPort))
                .addRule(OUTPUT, toListener(TCP, tcpPort))
                .addRule(POSTROUTING, fromListener(UDP, udpPort))
                .addRule(POSTROUTING, fromListener(TCP, tcpPort))
                .addTable(QUIET)
                .addBaseChain(QUIET_OUTPUT, "filter", NftBatch.Hook.OUTPUT, 0)
                .flush(QUIET_OUTPUT)
                .addRule(QUIET_OUTPUT, concat(NftExpr.l4proto(ICMPV6),
                        List.of(new NftExpr.Payload(NftExpr.Base.TRANSPORT, 0, 1, NftExpr.REG_1),
                                new NftExpr.Lookup(NftExpr.REG_1, MLD_TYPES), NftExpr.drop())));
    }

    /** {@code ip daddr 127.0.0.11 <proto> dport 53 dnat to 127.0.0.11:<port>}. */
    private static List<NftExpr> toListener(int protocol, int port) {
        return concat(NftExpr.ipv4Daddr(LISTEN), NftExpr.l4proto(protocol), NftExpr.dport(53),
                NftExpr.dnat(LISTEN, port));
    }

    /** {@code ip saddr 127.0.0.11 <proto> sport <port> snat to :53}. */
    private static List<NftExpr> fromListener(int protocol, int port) {
        return concat(NftExpr.ipv4Saddr(LISTEN), NftExpr.l4proto(protocol), NftExpr.sport(port), NftExpr.snatPort(53));
    }

    @SafeVarargs
    private static List<NftExpr> concat(List<NftExpr>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }
}
