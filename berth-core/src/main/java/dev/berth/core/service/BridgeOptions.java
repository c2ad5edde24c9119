package dev.berth.core.service;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the {@code -o} options of a bridge network before anything is created: booleans are Go
 * booleans, the MTU an integer the kernel accepts, the host binding an IP address, and the bridge
 * name a valid interface name no other network uses. Unknown options are kept, as Docker does.
 */
final class BridgeOptions {
    static final int MIN_MTU = 68;
    static final int MAX_MTU = 65535;
    static final int IFNAMSIZ = 16;

    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    private BridgeOptions() {
    }

    /** Go's {@code strconv.ParseBool}: empty when the text is not a Go boolean. */
    static Optional<Boolean> parseBool(String text) {
        if (TRUE.contains(text)) {
            return Optional.of(true);
        }
        return FALSE.contains(text) ? Optional.of(false) : Optional.empty();
    }

    /** Throws InvalidParameter for the first bad option value. */
    static void check(Map<String, String> options, Collection<Network> existing) {
        for (String key : new String[] {PredefinedNetworks.OPT_ENABLE_ICC, PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE}) {
            String value = options.get(key);
            if (value != null && parseBool(value).isEmpty()) {
                throw invalid(key, value, "it must be a boolean (true or false)");
            }
        }
        String mtu = options.get(PredefinedNetworks.OPT_MTU);
        if (mtu != null) {
            checkMtu(mtu);
        }
        String hostIp = options.get(PredefinedNetworks.OPT_HOST_BINDING_IPV4);
        if (hostIp != null) {
            try {
                IpAddresses.parse(hostIp);
            } catch (InvalidParameterException e) {
                throw invalid(PredefinedNetworks.OPT_HOST_BINDING_IPV4, hostIp, "it must be an IP address");
            }
        }
        String name = options.get(PredefinedNetworks.OPT_BRIDGE_NAME);
        if (name != null && !name.isEmpty()) {
            checkBridgeName(name, existing);
        }
    }

    private static void checkMtu(String text) {
        int mtu;
        try {
            mtu = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalid(PredefinedNetworks.OPT_MTU, text, "it must be an integer");
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw invalid(PredefinedNetworks.OPT_MTU, text, "it must be between " + MIN_MTU + " and " + MAX_MTU);
        }
    }

    private static void checkBridgeName(String name, Collection<Network> existing) {
        if (name.length() >= IFNAMSIZ || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x20)) {
            throw invalid(PredefinedNetworks.OPT_BRIDGE_NAME, name, "it must be a valid interface name (at most "
                    + (IFNAMSIZ - 1) + " characters, no '/', ':' or whitespace)");
        }
        if (name.startsWith(DeviceNames.RETIRED_BRIDGE_PREFIX)) {
            throw invalid(PredefinedNetworks.OPT_BRIDGE_NAME, name, "names starting with "
                    + DeviceNames.RETIRED_BRIDGE_PREFIX + " are reserved for bridges Berth is deleting");
        }
        for (Network other : existing) {
            if (other.driver().equals(PredefinedNetworks.DRIVER_BRIDGE) && !other.flags().configOnly()
                    && DeviceNames.bridgeName(other).equals(name)) {
                throw new InvalidParameterException("invalid value \"" + name + "\" for option "
                        + PredefinedNetworks.OPT_BRIDGE_NAME + ": bridge " + name + " is already used by network "
                        + other.name());
            }
        }
    }

    private static InvalidParameterException invalid(String key, String value, String why) {
        return new InvalidParameterException("invalid value \"" + value + "\" for option " + key + ": " + why);
    }
}
