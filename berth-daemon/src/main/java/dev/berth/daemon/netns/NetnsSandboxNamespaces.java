package dev.berth.daemon.netns;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Sandbox;
import dev.berth.core.spi.SandboxNamespaces;
import dev.berth.kernel.netlink.NfProto;
import dev.berth.kernel.netlink.NftBatch;
import dev.berth.kernel.netlink.NftDnatRules;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.netns.NsVisitors;
import dev.berth.kernel.nftables.LowFdReserve;
import dev.berth.kernel.nftables.NftChain;
import dev.berth.kernel.nftables.NftContext;
import dev.berth.kernel.nftables.NftFamily;
import dev.berth.kernel.nftables.NftRule;
import dev.berth.kernel.nftables.NftScript;
import dev.berth.kernel.nftables.NftTable;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link SandboxNamespaces} port over {@code kernel.netns} and {@code kernel.nftables}: a task
 * runs on the namespace handle's own thread inside the sandbox's namespace ({@code NetNs.call}),
 * the start-up pass's visits on the {@link NsVisitors}' few threads; the earlier redirect is read
 * with one rule dump ({@link NftDnatRules}); the DNS redirect is one
 * nftables transaction through a libnftables context created inside that namespace (its netlink
 * socket stays there), replacing the rules of the table {@code ip berth-dns}
 * ({@link DeviceNames#NFT_DNS_TABLE}). The same transaction keeps the sandbox's MLD reports in
 * (table {@code ip6 berth-quiet}, {@link DeviceNames#NFT_QUIET_TABLE}): see {@link #script}.
 */
public final class NetnsSandboxNamespaces implements SandboxNamespaces {
    private static final NftTable TABLE = new NftTable(NftFamily.IP, DeviceNames.NFT_DNS_TABLE);
    private static final NftChain OUTPUT = NftChain.base(TABLE, "output",
            new NftChain.Hook("nat", "output", "-100", NftChain.Policy.ACCEPT));
    private static final NftChain POSTROUTING = NftChain.base(TABLE, "postrouting",
            new NftChain.Hook("nat", "postrouting", "100", NftChain.Policy.ACCEPT));
    private static final NftTable QUIET = new NftTable(NftFamily.IP6, DeviceNames.NFT_QUIET_TABLE);
    private static final NftChain QUIET_OUTPUT = NftChain.base(QUIET, "output",
            new NftChain.Hook("filter", "output", "0", NftChain.Policy.ACCEPT));
    private static final InetAddress LISTEN = InetAddress.ofLiteral("127.0.0.11");
    private static final int UDP = 17;
    private static final int TCP = 6;
    private final LowFdReserve lowFds;
    /** Where {@link #callAfterDnsRedirectEach} runs its visits; null: one after another. */
    private final NsVisitors visitors;

    /** {@code lowFds}: taken at start-up; contexts are created while its numbers are free. */
    public NetnsSandboxNamespaces(LowFdReserve lowFds) {
        this(lowFds, null);
    }

    /** With {@code visitors} for the start-up pass over every sandbox ({@link #callAfterDnsRedirectEach}). */
    public NetnsSandboxNamespaces(LowFdReserve lowFds, NsVisitors visitors) {
        this.lowFds = lowFds;
        this.visitors = visitors;
    }

    @Override
    public <T> T call(Sandbox sandbox, Supplier<T> task) {
        try (NetNs ns = NetNs.open(Path.of(sandbox.netnsPath()))) {
            return ns.call(task::get);
        }
    }

    @Override
    public void redirectDns(Sandbox sandbox, int udpPort, int tcpPort) {
        String script = script(udpPort, tcpPort);
        lowFds.withLowFds(() -> call(sandbox, () -> {
            try (NftContext nft = NftContext.open()) {
                return nft.run(script);
            }
        }));
    }

    /**
     * Reads the DNAT rules of {@code ip berth-dns}'s output chain straight from the kernel
     * ({@link NftDnatRules}: one netlink dump, no libnftables context, no low descriptor) and
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
        return redirectOf(NftDnatRules.read(new NftBatch.Chain(new NftBatch.Table(NfProto.IPV4, DeviceNames.NFT_DNS_TABLE), OUTPUT.name())));
    }

    /**
     * The ports of the redirect {@link #script} writes, among a chain's DNAT rules: port 53 on
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
     * postrouting. A re-run replaces the rules in the same transaction: the chains are flushed, not
     * the table deleted, because anything a transaction deletes is freed after an RCU grace period
     * that the context's close then waits for (10-13 ms on every sandbox's first redirect, where
     * there is nothing to delete; flushing empty chains deletes nothing).
     *
     * <p>With it, in the same transaction (a libnftables context per sandbox costs 1-2 ms, the
     * table a fraction of that): the sandbox's MLD reports and leaves are dropped on the way out.
     * Nothing listens to them: Berth's bridges have no multicast snooping (multicast reaches every
     * port anyway) and VXLAN floods every group to every peer. Sent, each was flooded to every
     * port of the bridge and received by every other sandbox: four per IPv6 interface, 1-2.5 ms of
     * kernel time each at 1000 sandboxes, which made the k-th IPv6 attach grow from ~7 to ~22 ms.
     * The router solicitations and link-local DAD of an IPv6 interface are off by sysctl
     * ({@link NamedNetnsRuntime}).
     */
    static String script(int udpPort, int tcpPort) {
        return new NftScript().add(TABLE).add(OUTPUT).add(POSTROUTING).flush(OUTPUT).flush(POSTROUTING)
                .add(new NftRule(OUTPUT, "ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:" + udpPort))
                .add(new NftRule(OUTPUT, "ip daddr 127.0.0.11 tcp dport 53 dnat to 127.0.0.11:" + tcpPort))
                .add(new NftRule(POSTROUTING, "ip saddr 127.0.0.11 udp sport " + udpPort + " snat to :53"))
                .add(new NftRule(POSTROUTING, "ip saddr 127.0.0.11 tcp sport " + tcpPort + " snat to :53"))
                .add(QUIET).add(QUIET_OUTPUT).flush(QUIET_OUTPUT)
                .add(new NftRule(QUIET_OUTPUT, "icmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report } drop"))
                .render();
    }
}
