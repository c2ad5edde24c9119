package dev.berth.daemon.netns;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Sandbox;
import dev.berth.core.spi.SandboxNamespaces;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.nftables.LowFdReserve;
import dev.berth.kernel.nftables.NftChain;
import dev.berth.kernel.nftables.NftContext;
import dev.berth.kernel.nftables.NftFamily;
import dev.berth.kernel.nftables.NftRule;
import dev.berth.kernel.nftables.NftScript;
import dev.berth.kernel.nftables.NftTable;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link SandboxNamespaces} port over {@code kernel.netns} and {@code kernel.nftables}: a task
 * runs on a fresh platform thread that enters the sandbox's namespace; the DNS redirect is one
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
    private static final Pattern UDP_TARGET = Pattern.compile("udp dport 53 dnat to 127\\.0\\.0\\.11:(\\d+)");
    private static final Pattern TCP_TARGET = Pattern.compile("tcp dport 53 dnat to 127\\.0\\.0\\.11:(\\d+)");
    private final LowFdReserve lowFds;

    /** {@code lowFds}: taken at start-up; contexts are created while its numbers are free. */
    public NetnsSandboxNamespaces(LowFdReserve lowFds) {
        this.lowFds = lowFds;
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
     * Reads the namespace's ruleset (text; {@code list ruleset} is empty, not an error, without a
     * table) and takes the two DNAT targets from {@code ip berth-dns}. Reading deletes nothing, so
     * the context's close does not wait for an RCU grace period.
     */
    @Override
    public Optional<DnsPorts> dnsRedirect(Sandbox sandbox) {
        return call(sandbox, this::redirectHere);
    }

    @Override
    public <T> T callAfterDnsRedirect(Sandbox sandbox, Function<Optional<DnsPorts>, T> task) {
        return call(sandbox, () -> task.apply(redirectHere()));
    }

    /** On a thread inside the namespace: its ruleset's DNS redirect (the context made while low fds are free). */
    private Optional<DnsPorts> redirectHere() {
        return parseRedirect(lowFds.withLowFds(() -> {
            try (NftContext nft = NftContext.open()) {
                return nft.run("list ruleset ip");
            }
        }));
    }

    /** The DNAT ports of table {@code ip berth-dns} in {@code list ruleset} text, when both are there. */
    static Optional<DnsPorts> parseRedirect(String ruleset) {
        int start = ruleset.indexOf("table ip " + DeviceNames.NFT_DNS_TABLE + " {");
        if (start < 0) {
            return Optional.empty();
        }
        int end = ruleset.indexOf("\n}", start);
        String table = ruleset.substring(start, end < 0 ? ruleset.length() : end);
        Matcher udp = UDP_TARGET.matcher(table);
        Matcher tcp = TCP_TARGET.matcher(table);
        if (!udp.find() || !tcp.find()) {
            return Optional.empty();
        }
        return Optional.of(new DnsPorts(Integer.parseInt(udp.group(1)), Integer.parseInt(tcp.group(1))));
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
