package dev.berth.daemon.netns;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Sandbox;
import dev.berth.core.spi.SandboxNamespaces;
import dev.berth.kernel.netlink.NfProto;
import dev.berth.kernel.netlink.NftBatch;
import dev.berth.kernel.netlink.NftExpr;
import dev.berth.kernel.netlink.NftRules;
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
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * The {@link SandboxNamespaces} port over {@code kernel.netns} and {@code kernel.netlink}: a task
 * runs on the namespace handle's own thread inside the sandbox's namespace ({@code NetNs.call}),
 * the start-up pass's visits on the {@link NsVisitors}' few threads; the earlier redirect is read
 * with one rule dump ({@link NftRules}); the DNS redirect is one nf_tables transaction written
 * over netlink from inside that namespace ({@link NftBatch}: no libnftables, whose
 * {@code select()} aborts the daemon once its socket's descriptor is 1024 or more), replacing the
 * rules of the table {@code ip berth-dns} ({@link DeviceNames#NFT_DNS_TABLE}): a stateless
 * rewrite of the port, not Docker's NAT (see {@link #redirect}). The same
 * transaction keeps the sandbox's MLD reports in (table {@code ip6 berth-quiet},
 * {@link DeviceNames#NFT_QUIET_TABLE}): see {@link #redirect}.
 */
public final class NetnsSandboxNamespaces implements SandboxNamespaces {
    private static final System.Logger LOG = System.getLogger(NetnsSandboxNamespaces.class.getName());
    private static final NftBatch.Table TABLE = new NftBatch.Table(NfProto.IPV4, DeviceNames.NFT_DNS_TABLE);
    private static final NftBatch.Chain QUERIES = new NftBatch.Chain(TABLE, "queries");
    private static final NftBatch.Chain REPLIES = new NftBatch.Chain(TABLE, "replies");
    /** Where Berth before the stateless redirect kept its DNAT rules (a nat chain of the same table). */
    private static final NftBatch.Chain NAT_OUTPUT = new NftBatch.Chain(TABLE, "output");
    /** Before conntrack (-200) in the output hook: nft's {@code raw}. */
    private static final int BEFORE_CONNTRACK = -300;
    /** After conntrack took the packet in the output hook, as Docker's SNAT: nft's {@code srcnat}. */
    private static final int SRCNAT = 100;
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
     * Reads the redirect's rules straight from the kernel ({@link NftRules}: one netlink dump) and
     * takes the two DNS targets from them. Reading deletes nothing, except that an earlier
     * version's NAT redirect is replaced in place by the same redirect in today's form (see
     * {@link #redirectHere}).
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

    /**
     * On a thread inside the namespace: its DNS redirect. A namespace an earlier version of Berth
     * redirected holds Docker's NAT rules instead (chains {@code output} and {@code postrouting}
     * of type nat in the same table); their ports are kept, and the table is replaced by today's
     * in one transaction ({@link #upgrade}), so that the namespace is not left with conntrack on.
     */
    private static Optional<DnsPorts> redirectHere() {
        Optional<DnsPorts> ports = redirectOf(NftRules.read(QUERIES));
        if (ports.isPresent()) {
            return ports;
        }
        Optional<DnsPorts> nat = natRedirectOf(NftRules.read(NAT_OUTPUT));
        nat.ifPresent(p -> {
            try {
                upgrade(p.udp(), p.tcp()).commit();
            } catch (RuntimeException e) { // the NAT redirect still works: keep it rather than lose the sandbox's DNS
                LOG.log(System.Logger.Level.WARNING, "DNS redirect kept in its earlier (NAT) form: " + e.getMessage());
            }
        });
        return nat;
    }

    /**
     * The ports of the redirect {@link #redirect} writes, among the rules of its {@code queries}
     * chain: port 53 on {@code 127.0.0.11} rewritten to another, one rule for UDP and one for
     * TCP; empty unless both are there.
     */
    static Optional<DnsPorts> redirectOf(List<NftRules.Rule> rules) {
        return ports(rules, a -> a instanceof NftRules.SetPort set && set.destination() ? set.port() : -1);
    }

    /** {@link #redirectOf} for an earlier version's redirect: port 53 on {@code 127.0.0.11} sent there by DNAT. */
    static Optional<DnsPorts> natRedirectOf(List<NftRules.Rule> rules) {
        return ports(rules, a -> a instanceof NftRules.Dnat d && LISTEN.equals(d.to()) ? d.port() : -1);
    }

    /** The UDP and TCP targets of the rules for port 53 on {@code 127.0.0.11}, as {@code target} reads each rule's action (-1: not one). */
    private static Optional<DnsPorts> ports(List<NftRules.Rule> rules, ToIntFunction<NftRules.Action> target) {
        int udp = target(rules, UDP, target);
        int tcp = target(rules, TCP, target);
        return udp > 0 && tcp > 0 ? Optional.of(new DnsPorts(udp, tcp)) : Optional.empty();
    }

    private static int target(List<NftRules.Rule> rules, int l4proto, ToIntFunction<NftRules.Action> target) {
        for (NftRules.Rule r : rules) {
            int port = r.l4proto() == l4proto && r.dport() == 53 && LISTEN.equals(r.daddr()) ? target.applyAsInt(r.action()) : -1;
            if (port > 0) {
                return port;
            }
        }
        return -1;
    }

    /**
     * What Docker does (behavior reference §4.2: DNAT of port 53 on 127.0.0.11 to the listeners,
     * the replies' source port back to 53), done without conntrack: the port is rewritten in
     * place, in one table of our own. As nft text:
     * <pre>
     * add table ip berth-dns
     * add chain ip berth-dns queries { type filter hook output priority raw; policy accept; }
     * add chain ip berth-dns replies { type filter hook postrouting priority srcnat; policy accept; }
     * flush chain ip berth-dns queries
     * flush chain ip berth-dns replies
     * add rule ip berth-dns queries ip daddr 127.0.0.11 udp dport 53 udp dport set UDPPORT
     * add rule ip berth-dns queries ip daddr 127.0.0.11 tcp dport 53 tcp dport set TCPPORT
     * add rule ip berth-dns replies ip saddr 127.0.0.11 udp sport UDPPORT udp sport set 53
     * add rule ip berth-dns replies ip saddr 127.0.0.11 tcp sport TCPPORT tcp sport set 53
     * add table ip6 berth-quiet
     * add chain ip6 berth-quiet output { type filter hook output priority 0; policy accept; }
     * flush chain ip6 berth-quiet output
     * add rule ip6 berth-quiet output icmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report } drop
     * </pre>
     * Why not Docker's NAT: a nat chain turns conntrack on in the sandbox's namespace, and every
     * query then makes a connection entry (one per client source port) and goes through NAT's
     * lookups both ways; on the loopback path that cost ~18 % of a DNS server's throughput
     * ({@code bench/dnsnat.sh}). With no nat chain the namespace has no conntrack. Should something
     * in the container turn it on (its own iptables state rules), the flow is still tracked
     * consistently: the query's port is rewritten before conntrack sees it (priority raw, -300),
     * the reply's after (srcnat, 100), so conntrack sees one flow to the listener's port in both
     * directions.
     *
     * <p>A re-run replaces the rules in the same transaction: the chains are flushed, not the table
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
        return redirect(new NftBatch(), udpPort, tcpPort);
    }

    /**
     * An earlier version's NAT redirect replaced by {@link #redirect}'s, to the same ports, in one
     * transaction: its table deleted (with the nat chains) and made anew. Once per namespace; the
     * deletion costs the RCU grace period a fresh redirect avoids.
     */
    static NftBatch upgrade(int udpPort, int tcpPort) {
        return redirect(new NftBatch().deleteTable(TABLE), udpPort, tcpPort);
    }

    private static NftBatch redirect(NftBatch batch, int udpPort, int tcpPort) {
        return batch.addTable(TABLE)
                .addBaseChain(QUERIES, "filter", NftBatch.Hook.OUTPUT, BEFORE_CONNTRACK)
                .addBaseChain(REPLIES, "filter", NftBatch.Hook.POSTROUTING, SRCNAT)
                .flush(QUERIES).flush(REPLIES)
                .addRule(QUERIES, toListener(UDP, udpPort))
                .addRule(QUERIES, toListener(TCP, tcpPort))
                .addRule(REPLIES, fromListener(UDP, udpPort))
                .addRule(REPLIES, fromListener(TCP, tcpPort))
                .addTable(QUIET)
                .addBaseChain(QUIET_OUTPUT, "filter", NftBatch.Hook.OUTPUT, 0)
                .flush(QUIET_OUTPUT)
                .addRule(QUIET_OUTPUT, concat(NftExpr.l4proto(ICMPV6),
                        List.of(new NftExpr.Payload(NftExpr.Base.TRANSPORT, 0, 1, NftExpr.REG_1),
                                new NftExpr.Lookup(NftExpr.REG_1, MLD_TYPES), NftExpr.drop())));
    }

    /** {@code ip daddr 127.0.0.11 <proto> dport 53 <proto> dport set <port>}. */
    private static List<NftExpr> toListener(int protocol, int port) {
        return concat(NftExpr.ipv4Daddr(LISTEN), NftExpr.l4proto(protocol), NftExpr.dport(53),
                NftExpr.setDport(protocol, port));
    }

    /** {@code ip saddr 127.0.0.11 <proto> sport <port> <proto> sport set 53}. */
    private static List<NftExpr> fromListener(int protocol, int port) {
        return concat(NftExpr.ipv4Saddr(LISTEN), NftExpr.l4proto(protocol), NftExpr.sport(port),
                NftExpr.setSport(protocol, 53));
    }

    @SafeVarargs
    private static List<NftExpr> concat(List<NftExpr>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }
}
