package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.kernel.netlink.Link;

/**
 * Who made the device that carries a network's bridge name, and so what Berth may do to it. The
 * record of ownership is the device group {@link DeviceNames#OWNED_BRIDGE_GROUP}, which the kernel
 * sets in the very RTM_NEWLINK that creates the bridge: there is no moment, and so no crash, at
 * which a bridge of Berth's exists without it, and a device the user made never has it. The store
 * is no help here: a crash between creating the bridge and writing a row would leave Berth's
 * bridge unrecorded (leaked), and a row written before creation cannot tell Berth's bridge from
 * one a user made under that name in between. (IFLA_IFALIAS would carry the network id, but the
 * kernel ignores it on RTM_NEWLINK: measured on 6.18, an alias given at creation is dropped, so it
 * would take a second, interruptible request.)
 *
 * <p>As moby's bridge driver does ({@code ifaceCreatedByLibnetwork} / {@code ifaceCreatedByUser}):
 * a bridge Berth created is deleted with its network; an existing bridge named by the
 * {@code com.docker.network.bridge.name} option is used (addresses, MTU, up) but never renamed or
 * deleted; a device of another kind (a veth, {@code lo}, a NIC) is refused before anything is
 * stored or touched.
 */
enum BridgeOwnership {
    /** Created by Berth: Berth converges it fully and deletes it with its network. */
    BERTH,
    /** A bridge Berth found: it gets the network's gateways, and loses only those when the network goes. */
    USER,
    /** Not a bridge: never used, never touched. */
    NOT_A_BRIDGE;

    /**
     * {@code link} is the device named {@code DeviceNames.bridgeName(network)}. Bridges created
     * before ownership was recorded (group 0) count as Berth's only under the name Berth chose
     * itself, {@code br-<short id>} of this very network: no user picks a random id ahead of it.
     */
    static BridgeOwnership of(Link link, Network network) {
        if (!"bridge".equals(link.kind())) {
            return NOT_A_BRIDGE;
        }
        if (link.group() == DeviceNames.OWNED_BRIDGE_GROUP) {
            return BERTH;
        }
        return link.group() == 0 && isLegacyDefaultName(link, network) ? BERTH : USER;
    }

    /** Whether Berth sets the bridge's MTU: always on its own bridge, on a user's only when asked to. */
    boolean managesMtu(Network network) {
        return this == BERTH || BridgeOptions.of(network).asksMtu();
    }

    /** Whether Berth may rename and delete a {@code bx-} device left by an interrupted removal. */
    static boolean isRetiredByBerth(Link link) {
        return link.name().startsWith(DeviceNames.RETIRED_BRIDGE_PREFIX) && "bridge".equals(link.kind())
                && (link.group() == DeviceNames.OWNED_BRIDGE_GROUP || link.group() == LinkReaper.RETIRED_GROUP);
    }

    private static boolean isLegacyDefaultName(Link link, Network network) {
        String named = network.options().get(PredefinedNetworks.OPT_BRIDGE_NAME);
        return (named == null || named.isEmpty())
                && link.name().equals(DeviceNames.BRIDGE_PREFIX + network.id().shortId());
    }
}
