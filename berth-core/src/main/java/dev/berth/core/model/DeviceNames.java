package dev.berth.core.model;

import java.util.List;

/** Every kernel-visible name Berth makes, in one place: device prefixes and the nftables tables. */
public final class DeviceNames {
    /** User-defined bridges are {@code br-} plus the network's short id: 15 characters, IFNAMSIZ - 1. */
    public static final String BRIDGE_PREFIX = "br-";
    public static final String VETH_PREFIX = "veth";
    /**
     * A bridge being deleted in the background is renamed to this prefix plus random hex first,
     * so its name is free at once; start-up deletes any such device a crash left behind. Users
     * cannot name a bridge with it.
     */
    public static final String RETIRED_BRIDGE_PREFIX = "bx-";
    /**
     * A sandbox's end of a veth being deleted in the background is renamed to this prefix plus
     * the host end's suffix, so its {@code eth<N>} name is free for the next connect at once.
     */
    public static final String RETIRED_PEER_PREFIX = "gone";
    /** Prefixes a user may not give a device Berth is to use: Berth deletes what carries them. */
    public static final List<String> RESERVED_PREFIXES = List.of(RETIRED_BRIDGE_PREFIX,
            RETIRED_PEER_PREFIX);
    /**
     * The device group ("brth") of every bridge Berth creates: its record of ownership, kept by the
     * kernel itself. The group is set by the same RTM_NEWLINK that creates the bridge, so no crash
     * can leave a bridge of Berth's without it; a device without it (eth0, lo, a user's bridge) is
     * never renamed or deleted. Deletion moves links to another group on the way out.
     */
    public static final int OWNED_BRIDGE_GROUP = 0x62727468;
    /**
     * The device group ("bert") of links about to be deleted together by the daemon's link reaper;
     * nothing else is ever put in it, so a link in it is Berth's and on its way out.
     */
    public static final int RETIRED_LINK_GROUP = 0x62657274;
    /** The host namespace's nftables table ({@code inet}) that carries Berth's firewall. */
    public static final String NFT_TABLE = "berth";
    /** The nftables table ({@code ip}) inside each sandbox namespace that carries the DNS redirect. */
    public static final String NFT_DNS_TABLE = "berth-dns";
    /** The nftables table ({@code ip6}) inside each sandbox namespace that keeps MLD reports and router solicitations in. */
    public static final String NFT_QUIET_TABLE = "berth-quiet";

    private DeviceNames() {
    }

    /** The bridge device of a bridge network: the name option if given, else {@code br-<short id>}. */
    public static String bridgeName(Network network) {
        String named = network.options().get(PredefinedNetworks.OPT_BRIDGE_NAME);
        return named != null && !named.isEmpty() ? named : BRIDGE_PREFIX + network.id().shortId();
    }
}
