package dev.berth.daemon.firewall.nft;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.berth.core.model.DeviceNames;
import dev.berth.kernel.nftables.NftChain;
import dev.berth.kernel.nftables.NftChain.Hook;
import dev.berth.kernel.nftables.NftChain.Policy;
import dev.berth.kernel.nftables.NftFamily;
import dev.berth.kernel.nftables.NftRule;
import dev.berth.kernel.nftables.NftScript;
import dev.berth.kernel.nftables.NftSet;
import dev.berth.kernel.nftables.NftTable;

/**
 * The fixed layout of {@code table inet berth}: a constant set of chains and rules, with every
 * per-network and per-port fact held in sets and maps. Adding or removing a network or a port is
 * therefore only element changes, and the chain names never depend on the data.
 *
 * <p>The {@code user} chain is jumped to first from {@code forward}. {@link #skeleton()} adds it
 * if missing but never flushes it, so a rebuild keeps the user's rules.
 */
final class BerthTable {
    static final NftTable TABLE = new NftTable(NftFamily.INET, DeviceNames.NFT_TABLE);

    static final NftChain USER = NftChain.regular(TABLE, "user");
    static final NftChain FORWARD = NftChain.base(TABLE, "forward", new Hook("filter", "forward", "filter", Policy.ACCEPT));
    static final NftChain GUARD = NftChain.base(TABLE, "guard", new Hook("filter", "prerouting", "raw", Policy.ACCEPT));
    static final NftChain PREROUTING = NftChain.base(TABLE, "prerouting", new Hook("nat", "prerouting", "dstnat", Policy.ACCEPT));
    // "dstnat" is not accepted for the output hook by nft 1.0.6; -100 is its value.
    static final NftChain OUTPUT = NftChain.base(TABLE, "output", new Hook("nat", "output", "-100", Policy.ACCEPT));
    static final NftChain POSTROUTING = NftChain.base(TABLE, "postrouting", new Hook("nat", "postrouting", "srcnat", Policy.ACCEPT));
    static final NftChain PORTS = NftChain.regular(TABLE, "ports");

    /** Every Berth bridge. */
    static final NftSet BRIDGES = NftSet.set(TABLE, "bridges", "ifname");
    /** {@code br . br} for every bridge: same-bridge traffic. */
    static final NftSet SAME_BRIDGE = NftSet.set(TABLE, "same_bridge", "ifname . ifname");
    /** {@code br . br} for bridges with enable_icc=false. */
    static final NftSet NO_ICC = NftSet.set(TABLE, "no_icc", "ifname . ifname");
    /** Bridges of internal networks. */
    static final NftSet INTERNAL = NftSet.set(TABLE, "internal", "ifname");
    /** Subnets masqueraded when leaving through a non-Berth interface: those of gateway mode nat or nat-unprotected. */
    static final NftSet MASQ4 = NftSet.set(TABLE, "masq4", "ipv4_addr", "interval");
    static final NftSet MASQ6 = NftSet.set(TABLE, "masq6", "ipv6_addr", "interval");
    /** Every subnet of a non-internal network: DNATed traffic from them into a bridge is masqueraded (hairpin). */
    static final NftSet NETS4 = NftSet.set(TABLE, "nets4", "ipv4_addr", "interval");
    static final NftSet NETS6 = NftSet.set(TABLE, "nets6", "ipv6_addr", "interval");
    /** Bridges whose IPv4 / IPv6 gateway mode is {@code routed}: ICMP from outside is let in. */
    static final NftSet ROUTED4 = NftSet.set(TABLE, "routed4", "ifname");
    static final NftSet ROUTED6 = NftSet.set(TABLE, "routed6", "ifname");
    /** Bridges whose IPv4 / IPv6 gateway mode is {@code nat-unprotected}: anything from outside (not from other bridges) is let in. */
    static final NftSet UNPROTECTED4 = NftSet.set(TABLE, "unprotected4", "ifname");
    static final NftSet UNPROTECTED6 = NftSet.set(TABLE, "unprotected6", "ifname");
    /** Ports published on a {@code routed} family: {@code sandboxIp . proto . sandboxPort}, open as they are (no DNAT). */
    static final NftSet OPEN4 = NftSet.set(TABLE, "open4", "ipv4_addr . inet_proto . inet_service");
    static final NftSet OPEN6 = NftSet.set(TABLE, "open6", "ipv6_addr . inet_proto . inet_service");
    /** Published ports: {@code [hostIp .] proto . hostPort : sandboxIp . sandboxPort}. */
    static final NftSet PUB4_ADDR = NftSet.map(TABLE, "pub4_addr", "ipv4_addr . inet_proto . inet_service", "ipv4_addr . inet_service");
    static final NftSet PUB4_ANY = NftSet.map(TABLE, "pub4_any", "inet_proto . inet_service", "ipv4_addr . inet_service");
    static final NftSet PUB6_ADDR = NftSet.map(TABLE, "pub6_addr", "ipv6_addr . inet_proto . inet_service", "ipv6_addr . inet_service");
    static final NftSet PUB6_ANY = NftSet.map(TABLE, "pub6_any", "inet_proto . inet_service", "ipv6_addr . inet_service");

    static final List<NftChain> OWN_CHAINS = List.of(FORWARD, GUARD, PREROUTING, OUTPUT, POSTROUTING, PORTS);
    static final List<NftSet> SETS = List.of(BRIDGES, SAME_BRIDGE, NO_ICC, INTERNAL, MASQ4, MASQ6, NETS4, NETS6,
            ROUTED4, ROUTED6, UNPROTECTED4, UNPROTECTED6, OPEN4, OPEN6, PUB4_ADDR, PUB4_ANY, PUB6_ADDR, PUB6_ANY);

    private static final List<NftRule> RULES = List.of(
            // Forward filter. Order matters: user rules, then icc, same-bridge, internal, published
            // (DNATed) traffic, replies, what routed families let in (from anywhere, other networks
            // included, as in moby), isolation between networks, what nat-unprotected families let in
            // (from outside only), and finally no direct access into a bridge (Docker 28's
            // direct-access protection of nat families: a sandbox address is reachable from outside its
            // bridge only through a published port).
            new NftRule(FORWARD, "jump user"),
            new NftRule(FORWARD, "iifname . oifname @no_icc drop"),
            new NftRule(FORWARD, "iifname . oifname @same_bridge accept"),
            new NftRule(FORWARD, "iifname @internal drop"),
            new NftRule(FORWARD, "oifname @internal drop"),
            new NftRule(FORWARD, "oifname @bridges ct status dnat accept"),
            new NftRule(FORWARD, "oifname @bridges ct state established,related accept"),
            new NftRule(FORWARD, "meta nfproto ipv4 oifname @routed4 meta l4proto icmp accept"),
            new NftRule(FORWARD, "meta nfproto ipv6 oifname @routed6 meta l4proto ipv6-icmp accept"),
            new NftRule(FORWARD, "meta l4proto { tcp, udp } oifname @bridges ip daddr . meta l4proto . th dport @open4 accept"),
            new NftRule(FORWARD, "meta l4proto { tcp, udp } oifname @bridges ip6 daddr . meta l4proto . th dport @open6 accept"),
            new NftRule(FORWARD, "iifname @bridges oifname @bridges drop"),
            new NftRule(FORWARD, "meta nfproto ipv4 oifname @unprotected4 accept"),
            new NftRule(FORWARD, "meta nfproto ipv6 oifname @unprotected6 accept"),
            new NftRule(FORWARD, "oifname @bridges drop"),
            // route_localnet on a bridge would let a sandbox reach the host's 127.0.0.1 services.
            new NftRule(GUARD, "iifname @bridges ip daddr 127.0.0.0/8 drop"),
            new NftRule(PREROUTING, "fib daddr type local jump ports"),
            new NftRule(OUTPUT, "fib daddr type local jump ports"),
            new NftRule(PORTS, "meta l4proto { tcp, udp } dnat ip to ip daddr . meta l4proto . th dport map @pub4_addr"),
            new NftRule(PORTS, "meta l4proto { tcp, udp } dnat ip to meta l4proto . th dport map @pub4_any"),
            new NftRule(PORTS, "meta l4proto { tcp, udp } ip6 saddr != fe80::/10 dnat ip6 to ip6 daddr . meta l4proto . th dport map @pub6_addr"),
            new NftRule(PORTS, "meta l4proto { tcp, udp } ip6 saddr != fe80::/10 dnat ip6 to meta l4proto . th dport map @pub6_any"),
            new NftRule(POSTROUTING, "ip saddr @masq4 oifname != @bridges masquerade"),
            new NftRule(POSTROUTING, "ip6 saddr @masq6 oifname != @bridges masquerade"),
            // Host to a 127.0.0.1 binding: the source must not stay loopback on the wire.
            new NftRule(POSTROUTING, "oifname @bridges ip saddr 127.0.0.0/8 masquerade"),
            // Hairpin: replies must come back through the host, not straight across the bridge.
            new NftRule(POSTROUTING, "oifname @bridges ct status dnat ip saddr @nets4 masquerade"),
            new NftRule(POSTROUTING, "oifname @bridges ct status dnat ip6 saddr @nets6 masquerade"));

    private BerthTable() {}

    /** How many rules each of Berth's own chains holds after {@link #skeleton()}. */
    static Map<NftChain, Integer> ruleCounts() {
        Map<NftChain, Integer> out = new LinkedHashMap<>();
        OWN_CHAINS.forEach(c -> out.put(c, 0));
        RULES.forEach(r -> out.merge(r.chain(), 1, Integer::sum));
        return out;
    }

    /**
     * Creates the table, the user chain (if missing; never flushed), and every other chain and set
     * afresh: existing ones are flushed, so stale rules and elements disappear in the same
     * transaction that adds the current ones.
     */
    static NftScript skeleton() {
        NftScript script = new NftScript().add(TABLE).add(USER);
        for (NftChain chain : OWN_CHAINS) {
            script.add(chain).flush(chain);
        }
        for (NftSet set : SETS) {
            script.add(set).flush(set);
        }
        RULES.forEach(script::add);
        return script;
    }
}
