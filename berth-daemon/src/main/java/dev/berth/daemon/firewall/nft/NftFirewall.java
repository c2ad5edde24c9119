package dev.berth.daemon.firewall.nft;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import dev.berth.core.errors.InternalException;
import dev.berth.core.model.Network;
import dev.berth.core.spi.Firewall;
import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.nftables.NftException;
import dev.berth.kernel.nftables.NftScript;
import dev.berth.kernel.nftables.NftScriptRunner;

/**
 * {@link Firewall} as one {@code table inet berth} applied through libnftables. Every method
 * renders one script (validated first: bad input throws before the kernel is touched) and applies
 * it as one transaction. Published ports are remembered per key so that {@link #publish} and
 * {@link #unpublish} change only that key's map elements; {@link #rebuild} resets that memory.
 *
 * <p>The caller must also set the sysctls of {@link #requiredSysctls(Network)}.
 */
public final class NftFirewall implements Firewall {
    private final NftScriptRunner nft;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PortElements> published = new LinkedHashMap<>();

    /** @param nft usually an {@code NftContext} opened in the daemon's host namespace */
    public NftFirewall(NftScriptRunner nft) {
        this.nft = Objects.requireNonNull(nft, "nft");
    }

    @Override
    public void rebuild(Collection<Network> networks, Collection<SandboxPorts> ports) {
        List<NetworkElements> nets = BerthRuleset.read(networks);
        Map<String, PortElements> byKey = new LinkedHashMap<>();
        for (SandboxPorts p : ports) {
            byKey.put(p.key(), PortElements.of(p));
        }
        locked(() -> {
            apply("rebuild firewall table", BerthRuleset.rebuild(nets, byKey.values()));
            published.clear();
            published.putAll(byKey);
        });
    }

    /**
     * One listing of the table, compared with its fixed layout by {@link TableDrift}. A table that
     * is gone lists as an error: that is drift too. Taken under the lock, so a change being applied
     * is never half-seen.
     */
    @Override
    public List<KernelDrift> drift() {
        lock.lock();
        try {
            return TableDrift.of(nft.query("list table " + BerthTable.TABLE.ref()));
        } catch (NftException e) {
            return List.of(TableDrift.drift("table " + BerthTable.TABLE.ref() + " cannot be listed (" + e.getMessage().strip()
                    + ")"));
        } finally {
            lock.unlock();
        }
    }

    /** {@link ElementAudit}, under the lock like {@link #drift()}. */
    @Override
    public List<KernelDrift> missingElements(Collection<Network> networks, Collection<SandboxPorts> ports) {
        lock.lock();
        try {
            return new ElementAudit(nft).missing(networks, ports);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void ensureNetwork(Network network) {
        if (NetworkElements.applies(network)) {
            NftScript script = BerthRuleset.ensureNetwork(NetworkElements.of(network));
            locked(() -> apply("add firewall rules of network " + network.name(), script));
        }
    }

    @Override
    public void removeNetwork(Network network) {
        if (NetworkElements.applies(network)) {
            NftScript script = BerthRuleset.removeNetwork(NetworkElements.of(network));
            locked(() -> apply("remove firewall rules of network " + network.name(), script));
        }
    }

    @Override
    public void publish(SandboxPorts ports) {
        PortElements after = PortElements.of(ports);
        locked(() -> {
            PortElements before = published.getOrDefault(ports.key(), PortElements.NONE);
            apply("publish ports of " + ports.key(), BerthRuleset.publish(before, after));
            if (after.isEmpty()) {
                published.remove(ports.key());
            } else {
                published.put(ports.key(), after);
            }
        });
    }

    @Override
    public void unpublish(String key) {
        locked(() -> {
            PortElements before = published.get(key);
            if (before != null) {
                apply("unpublish ports of " + key, BerthRuleset.unpublish(before));
                published.remove(key);
            }
        });
    }

    /**
     * The sysctls (slash form, e.g. {@code net/ipv4/conf/br-x/route_localnet}) that the rules of
     * this network rely on, with their values; the firewall does not write sysctls itself.
     * <ul>
     * <li>{@code ip_forward} / IPv6 {@code all/forwarding}: routing between bridges and uplinks.</li>
     * <li>{@code route_localnet=1} on the bridge: a binding on 127.0.0.1 is DNATed in the output
     * hook to the sandbox, and the kernel only routes a 127/8 source out of a non-loopback device
     * with it. The {@code guard} chain drops packets from bridges to 127/8, which is what makes it
     * safe.</li>
     * <li>{@code bridge-nf-call-iptables/ip6tables=1} (module br_netfilter) when icc is off:
     * frames between two ports of one bridge are switched, not routed, and only reach the
     * {@code forward} hook with it.</li>
     * </ul>
     */
    public static SortedMap<String, String> requiredSysctls(Network network) {
        SortedMap<String, String> out = new TreeMap<>();
        if (!NetworkElements.applies(network)) {
            return out;
        }
        NetworkElements n = NetworkElements.of(network);
        if (!n.v4().isEmpty()) {
            out.put("net/ipv4/ip_forward", "1");
            if (!n.internal()) {
                out.put("net/ipv4/conf/" + n.bridge() + "/route_localnet", "1");
            }
            if (!n.icc()) {
                out.put("net/bridge/bridge-nf-call-iptables", "1");
            }
        }
        if (!n.v6().isEmpty()) {
            out.put("net/ipv6/conf/all/forwarding", "1");
            if (!n.icc()) {
                out.put("net/bridge/bridge-nf-call-ip6tables", "1");
            }
        }
        return out;
    }

    /** The script {@link #rebuild} would apply, for logging and {@code nft -f} debugging. */
    public static String render(Collection<Network> networks, Collection<SandboxPorts> ports) {
        return BerthRuleset.rebuild(BerthRuleset.read(networks), ports.stream().map(PortElements::of).toList()).render();
    }

    private void apply(String action, NftScript script) {
        if (script.isEmpty()) {
            return;
        }
        try {
            nft.run(script.render());
        } catch (NftException e) {
            throw new InternalException(action + ": " + e.getMessage() + "\nscript:\n" + e.script(), e);
        }
    }

    private void locked(Runnable change) {
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }
}
