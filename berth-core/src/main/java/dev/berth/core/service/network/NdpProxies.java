package dev.berth.core.service.network;

import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.KernelDrift;
import dev.berth.core.spi.NdpProxy;
import dev.berth.core.spi.NdpProxy.Entry;
import dev.berth.core.spi.NdpProxy.OnLink;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Automatic NDP proxy. A sandbox of a {@code routed} or {@code nat-unprotected} IPv6 network is
 * reachable from outside on its own address, but only if the LAN's router sends its packets to
 * this host. When the network's subnet is a slice of a prefix that is on-link at a host interface
 * (the host's LAN /64 on {@code eth0}, the network a /80 inside it), the router believes the
 * sandbox's address is on the LAN and asks for it by neighbour solicitation; nobody answers
 * unless the host proxies it. So for each such endpoint Berth turns {@code proxy_ndp} on for that
 * interface and adds a proxy entry for the endpoint's address there ({@link NdpProxy}), and takes
 * it away when the endpoint goes.
 *
 * <p>Which endpoints: those with an IPv6 address on a bridge network with IPv6 that is not
 * internal and whose IPv6 gateway mode is {@code routed} or {@code nat-unprotected} ({@code nat}
 * hides sandbox addresses, {@code isolated} has no gateway). Which interfaces: each whose on-link
 * prefix strictly holds the endpoint's subnet (a subnet equal to the LAN's prefix would take the
 * LAN's route away), among those {@link NdpProxySetting ndp-proxy} allows.
 *
 * <p>When: a connect adds the entries before it returns (the endpoint is not reported before it is
 * reachable; a failure fails the connect, which is undone); a disconnect or removal deletes them.
 * {@link #converge()} makes the kernel match at start-up and in the reconcile loop's repair: missing
 * entries are added and stale ones deleted; {@link #drift()} is the reconcile loop's cheap check.
 *
 * <p>Host prefixes: {@link #drift()} and {@link #converge()} read them afresh (every reconcile pass,
 * start-up, a reload) and keep what they read; a connect uses what was kept, so it costs no dump
 * of the host's addresses. A prefix that appears on the uplink gives its endpoints entries at the
 * next reconcile pass and one that disappears takes them away, as before; a connect in between
 * follows the prefixes the entries follow. With no proxied network the reconcile pass reads
 * nothing and forgets what was kept, so the first connect after that reads afresh.
 *
 * <p>Ownership: the port marks the entries Berth adds and lists them apart from others. An entry
 * somebody else made is never touched, also when Berth would have made the same one. A Berth
 * entry that no endpoint wants is deleted only when its address lies in one of Berth's IPv6
 * subnets or Berth made it in this run (a subnet that went meanwhile). {@code proxy_ndp} is turned
 * on and never off: other programs may rely on it.
 *
 * <p>Every method runs inside {@link ServiceState#write}; the memory of what was made is guarded
 * by that lock.
 */
public final class NdpProxies {
    private static final System.Logger LOG = System.getLogger(NdpProxies.class.getName());

    private final ServiceState state;
    private final NdpProxy proxy;
    private volatile NdpProxySetting setting;
    /** The entries this daemon holds for each endpoint. */
    private final Map<EndpointId, Set<Entry>> held = new HashMap<>();
    /** Entries made here whose delete failed: the next converge deletes them. */
    private final Set<Entry> leftover = new HashSet<>();
    /** Interfaces whose {@code proxy_ndp} was found or turned on since the last converge. */
    private final Set<String> enabled = new HashSet<>();
    /** The host's on-link prefixes as last read; null: not read since the last pass that needed none. */
    private List<OnLink> onLink;

    NdpProxies(ServiceState state, NdpProxySetting setting) {
        this.state = state;
        this.proxy = state.dependencies().ndpProxy();
        this.setting = setting;
    }

    /** The {@code ndp-proxy} setting in force. */
    public NdpProxySetting setting() {
        return setting;
    }

    /**
     * Whether endpoints of this network may need entries: a bridge network with IPv6, not internal,
     * IPv6 gateway mode {@code routed} or {@code nat-unprotected}.
     */
    static boolean proxied(Network network) {
        if (!network.driver().equals(PredefinedNetworks.DRIVER_BRIDGE) || !network.flags().enableIpv6()
                || network.flags().internal() || network.flags().configOnly()) {
            return false;
        }
        GatewayMode mode = BridgeOptions.of(network).gatewayModeIpv6();
        return mode == GatewayMode.ROUTED || mode == GatewayMode.NAT_UNPROTECTED;
    }

    /**
     * The entries one endpoint wants: its IPv6 address on each allowed interface whose on-link
     * prefix strictly holds the endpoint's subnet.
     */
    static List<Entry> wanted(Endpoint endpoint, List<OnLink> onLink, NdpProxySetting setting) {
        IpPrefix address = endpoint.ipv6();
        if (address == null) {
            return List.of();
        }
        return devices(address.masked(), onLink, setting).stream().map(d -> new Entry(d, address.address())).toList();
    }

    /** The allowed interfaces whose on-link prefix strictly holds {@code subnet}, each once. */
    private static List<String> devices(IpPrefix subnet, List<OnLink> onLink, NdpProxySetting setting) {
        Set<String> out = new LinkedHashSet<>();
        for (OnLink link : onLink) {
            if (setting.allows(link.device()) && link.prefix().properlyContains(subnet)) {
                out.add(link.device());
            }
        }
        return List.copyOf(out);
    }

    /**
     * A connect: the endpoint's entries, before the endpoint is reported. Throws what the kernel
     * refused; the caller undoes the connect, {@link #remove} included.
     */
    public void add(Network network, Endpoint endpoint) {
        state.requireWriting();
        if (!setting.on() || endpoint.ipv6() == null || !proxied(network)) {
            return;
        }
        if (onLink == null) {
            onLink = proxy.onLink();
        }
        for (Entry entry : wanted(endpoint, onLink, setting)) {
            enable(entry.device());
            if (proxy.add(entry)) {
                held.computeIfAbsent(endpoint.id(), id -> new LinkedHashSet<>()).add(entry);
            } else {
                LOG.log(System.Logger.Level.INFO, describe(entry)
                        + " exists and is not Berth's: it serves the address; Berth leaves it as it is");
            }
        }
    }

    /** A disconnect or removal: deletes the endpoint's entries. Never throws: a failure is logged and left to {@link #converge}. */
    public void remove(Endpoint endpoint) {
        state.requireWriting();
        Set<Entry> was = held.remove(endpoint.id());
        if (was != null) {
            was.forEach(this::deleteQuietly);
        }
    }

    /**
     * A network removal: deletes Berth's entries for addresses in its IPv6 subnets (its endpoints
     * are gone; what is left is a failed delete). Never throws.
     */
    public void forget(Network network) {
        state.requireWriting();
        if (!proxied(network)) {
            return;
        }
        List<IpPrefix> subnets = ipv6Subnets(network);
        try {
            for (Entry entry : proxy.entries().berths()) {
                if (subnets.stream().anyMatch(s -> s.contains(entry.address()))) {
                    deleteQuietly(entry);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ndp proxy: entries of network " + network.name() + " not removed: "
                    + e.getMessage() + " (the next start removes them)", e);
        }
    }

    /**
     * A new {@code ndp-proxy} setting, applied at once (a reload): entries it no longer allows go,
     * new ones come. Returns what could not be done, one line each (already logged).
     */
    public List<String> reconfigure(NdpProxySetting next) {
        state.requireWriting();
        setting = next;
        return converge();
    }

    /**
     * Start-up and the reconcile loop's repair: every entry the endpoints want is there (added
     * unless somebody else's serves it), {@code proxy_ndp} is on where they are, and Berth's
     * entries no endpoint wants are deleted. Returns what failed, one line each (already logged).
     */
    public List<String> converge() {
        state.requireWriting();
        List<String> failed = new ArrayList<>();
        Map<Entry, Endpoint> desired;
        NdpProxy.Entries now;
        try {
            desired = desired(null);
            now = proxy.entries();
        } catch (RuntimeException e) {
            return List.of(report("ndp proxy: cannot read the host's prefixes or proxy entries", e));
        }
        Set<Entry> madeHere = new HashSet<>(leftover);
        held.values().forEach(madeHere::addAll);
        held.clear();
        enabled.clear();
        for (Map.Entry<Entry, Endpoint> want : desired.entrySet()) {
            Entry entry = want.getKey();
            try {
                enable(entry.device());
                boolean ours = now.berths().contains(entry);
                if (!ours && !now.foreign().contains(entry) && proxy.add(entry)) {
                    LOG.log(System.Logger.Level.INFO, "added " + describe(entry));
                    ours = true;
                }
                if (ours) {
                    held.computeIfAbsent(want.getValue().id(), id -> new LinkedHashSet<>()).add(entry);
                }
            } catch (RuntimeException e) {
                failed.add(report(describe(entry) + " not added", e));
            }
        }
        leftover.retainAll(now.berths());
        for (Entry entry : now.berths()) {
            if (!desired.containsKey(entry) && (madeHere.contains(entry) || inBerthSubnet(entry.address()))) {
                try {
                    proxy.delete(entry);
                    leftover.remove(entry);
                    LOG.log(System.Logger.Level.INFO, "removed " + describe(entry) + " (no endpoint wants it)");
                } catch (RuntimeException e) {
                    leftover.add(entry);
                    failed.add(report("stale " + describe(entry) + " not removed", e));
                }
            }
        }
        return failed;
    }

    /**
     * The kernel's side of {@link #drift(DriftReading)}: the host's on-link prefixes and the proxy
     * table, read only when a network is proxied. Takes no lock and touches nothing of this
     * object's but the setting, so the reconcile loop reads it while changes go on.
     */
    public DriftReading readForDrift() {
        if (!proxiedNetworks()) {
            return new DriftReading(null, null);
        }
        return new DriftReading(proxy.onLink(), proxy.entries());
    }

    /** What {@link #readForDrift} read; nulls when no network was proxied then. */
    public record DriftReading(List<OnLink> onLink, NdpProxy.Entries entries) {
    }

    /** The setting is on and some network wants entries: read without the lock (both are snapshots). */
    private boolean proxiedNetworks() {
        return setting.on() && state.networks().values().stream().anyMatch(NdpProxies::proxied);
    }

    /** {@link #drift(DriftReading)} of a reading taken now. */
    public List<KernelDrift> drift() {
        return drift(readForDrift());
    }

    /**
     * The reconcile loop's cheap look, against {@code reading}: entries missing or stale,
     * {@code proxy_ndp} turned off. What the reading lacks (a network became proxied since) is read
     * now. Nothing is read when no network is proxied and nothing is held.
     */
    public List<KernelDrift> drift(DriftReading reading) {
        state.requireWriting();
        if (!proxiedNetworks() && held.isEmpty() && leftover.isEmpty()) {
            onLink = null;
            return List.of();
        }
        Map<Entry, Endpoint> desired = desired(reading.onLink());
        NdpProxy.Entries now = reading.entries() != null ? reading.entries() : proxy.entries();
        List<KernelDrift> out = new ArrayList<>();
        Set<String> devices = new LinkedHashSet<>();
        desired.forEach((entry, endpoint) -> {
            devices.add(entry.device());
            if (!now.berths().contains(entry) && !now.foreign().contains(entry)) {
                out.add(new KernelDrift(endpoint.networkId(), describe(entry) + " missing"));
            }
        });
        Set<Entry> madeHere = new HashSet<>(leftover);
        held.values().forEach(madeHere::addAll);
        for (Entry entry : now.berths()) {
            if (!desired.containsKey(entry) && (madeHere.contains(entry) || inBerthSubnet(entry.address()))) {
                out.add(new KernelDrift(networkOf(entry.address()).orElse(null), describe(entry)
                        + " stale (no endpoint wants it)"));
            }
        }
        for (String device : devices) {
            if (!proxy.proxying(device)) {
                out.add(new KernelDrift(null, "ndp proxy: proxy_ndp off on " + device));
            }
        }
        return out;
    }

    /**
     * Every entry the endpoints want now, with the endpoint that wants it. The host's prefixes are
     * read afresh when a network needs them, and kept for the connects.
     */
    private Map<Entry, Endpoint> desired(List<OnLink> read) {
        Map<Entry, Endpoint> out = new LinkedHashMap<>();
        NdpProxySetting now = setting;
        List<Network> networks = state.networks().values().stream().filter(NdpProxies::proxied)
                .sorted(Comparator.comparing(Network::name)).toList();
        if (!now.on() || networks.isEmpty()) {
            onLink = null;
            return out;
        }
        List<OnLink> onLink = read != null ? read : proxy.onLink();
        this.onLink = onLink;
        for (Network network : networks) {
            // Per subnet, not per endpoint: reconcile runs this every 2 s over every endpoint.
            Map<IpPrefix, List<String>> bySubnet = new LinkedHashMap<>();
            ipv6Subnets(network).forEach(subnet -> bySubnet.put(subnet, devices(subnet, onLink, now)));
            if (bySubnet.values().stream().allMatch(List::isEmpty)) {
                continue;
            }
            for (Endpoint endpoint : state.attachments().endpointsOf(network.id())) {
                if (endpoint.ipv6() == null) {
                    continue;
                }
                InetAddress address = endpoint.ipv6().address();
                List<String> devices = bySubnet.size() == 1 ? bySubnet.values().iterator().next()
                        : bySubnet.entrySet().stream().filter(e -> e.getKey().contains(address)).findFirst()
                                .map(Map.Entry::getValue).orElse(List.of());
                devices.forEach(device -> out.put(new Entry(device, address), endpoint));
            }
        }
        return out;
    }

    private void enable(String device) {
        if (!enabled.contains(device)) {
            if (!proxy.proxying(device)) {
                proxy.enable(device);
                LOG.log(System.Logger.Level.INFO, "ndp proxy: proxy_ndp turned on for " + device);
            }
            enabled.add(device);
        }
    }

    private void deleteQuietly(Entry entry) {
        try {
            proxy.delete(entry);
            leftover.remove(entry);
        } catch (RuntimeException e) {
            leftover.add(entry);
            LOG.log(System.Logger.Level.WARNING, describe(entry) + " not removed: " + e.getMessage()
                    + " (the next reconcile or start removes it)", e);
        }
    }

    private boolean inBerthSubnet(InetAddress address) {
        return networkOf(address).isPresent();
    }

    private Optional<NetworkId> networkOf(InetAddress address) {
        for (Network network : state.networks().values()) {
            if (ipv6Subnets(network).stream().anyMatch(s -> s.contains(address))) {
                return Optional.of(network.id());
            }
        }
        return Optional.empty();
    }

    private static List<IpPrefix> ipv6Subnets(Network network) {
        return network.ipam() == null ? List.of() : network.ipam().pools().stream().filter(p -> !p.isIpv4()).map(IpamPool::subnet).toList();
    }

    private static String describe(Entry entry) {
        return "ndp proxy entry " + IpAddresses.format(entry.address()) + " on " + entry.device();
    }

    private static String report(String what, RuntimeException e) {
        String line = what + ": " + e.getMessage();
        LOG.log(System.Logger.Level.ERROR, line + " (the daemon goes on; the next reconcile or start tries again)", e);
        return line;
    }
}
