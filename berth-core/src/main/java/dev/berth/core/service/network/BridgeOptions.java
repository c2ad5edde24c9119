package dev.berth.core.service.network;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the {@code -o} options of a bridge network before anything is created: booleans are Go
 * booleans, the MTU an integer the kernel accepts, the host binding an IP address, and the bridge
 * name a valid interface name no other network uses. Unknown options are kept, as Docker does.
 */
final class BridgeOptions {
    static final int MIN_MTU = 68;
    static final int MAX_MTU = 65535;
    /** IPv6 needs links of at least 1280 bytes (RFC 8200); below that the kernel refuses IPv6 addresses. */
    static final int MIN_IPV6_MTU = 1280;
    static final int IFNAMSIZ = 16;

    /** What Go's {@code strconv.Atoi} accepts: an optional sign and decimal digits, nothing else. */
    private static final Pattern GO_INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");
    /**
     * Characters a bridge name may not hold: '/' and ':' the kernel refuses, '%' it takes as a
     * name format, '*' nftables takes as a wildcard in an interface name (Berth's rules would
     * match every interface), '"' and '\\' would break out of a quoted nft string. The kernel
     * alone would take "a%d" and create a0, then a1... on each retry.
     */
    private static final String FORBIDDEN = "/:%*\"\\";
    /** Device names the kernel accepts but that collide with its {@code conf/all} and {@code conf/default}. */
    private static final Set<String> RESERVED_NAMES = Set.of("all", "default");

    private BridgeOptions() {
    }

    /** Go's {@code strconv.ParseBool}: empty when the text is not a Go boolean. */
    static Optional<Boolean> parseBool(String text) {
        if (TRUE.contains(text)) {
            return Optional.of(true);
        }
        return FALSE.contains(text) ? Optional.of(false) : Optional.empty();
    }

    /**
     * Throws InvalidParameter for the first bad option value; {@code ipv6} says whether the network
     * has IPv6, which raises the lowest MTU allowed.
     */
    static void check(Map<String, String> options, Collection<Network> existing, boolean ipv6) {
        for (String key : new String[] {PredefinedNetworks.OPT_ENABLE_ICC, PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE}) {
            String value = options.get(key);
            if (value != null && parseBool(value).isEmpty()) {
                throw invalid(key, value, "it must be a boolean (true or false)");
            }
        }
        String mtu = options.get(PredefinedNetworks.OPT_MTU);
        if (mtu != null) {
            checkMtu(mtu, ipv6);
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

    /**
     * Go's {@code strconv.Atoi} (as moby parses it: no spaces, an optional sign); 0 means the
     * default MTU, as in moby; otherwise a value the kernel accepts for the network's families.
     */
    private static void checkMtu(String text, boolean ipv6) {
        if (!GO_INTEGER.matcher(text).matches()) {
            throw invalid(PredefinedNetworks.OPT_MTU, text, "it must be an integer");
        }
        long mtu = text.length() > 12 ? Long.MAX_VALUE : Long.parseLong(text);
        if (mtu == 0) {
            return;
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw invalid(PredefinedNetworks.OPT_MTU, text, "it must be between " + MIN_MTU + " and " + MAX_MTU);
        }
        if (ipv6 && mtu < MIN_IPV6_MTU) {
            throw invalid(PredefinedNetworks.OPT_MTU, text, "an IPv6 network needs an MTU of at least "
                    + MIN_IPV6_MTU);
        }
    }

    /**
     * A bridge name must be a name the kernel creates as given and Berth can use safely: at most
     * 15 bytes of UTF-8, not {@code .} or {@code ..}, no whitespace, none of {@link #FORBIDDEN}.
     * {@code all} and {@code default} name the kernel's settings of every device
     * ({@code /proc/sys/net/ipv4/conf/all}), and Berth's own retirement prefixes are reserved so
     * that nothing Berth renames and deletes can be a user's device.
     */
    private static void checkBridgeName(String name, Collection<Network> existing) {
        int bytes = utf8Length(name);
        if (bytes < 0) {
            throw invalid(PredefinedNetworks.OPT_BRIDGE_NAME, name, "it is not valid Unicode (a lone surrogate)");
        }
        if (bytes >= IFNAMSIZ || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> FORBIDDEN.indexOf(c) >= 0 || Character.isWhitespace(c)
                        || Character.isISOControl(c))) {
            throw invalid(PredefinedNetworks.OPT_BRIDGE_NAME, name, "it must be a valid interface name (at most "
                    + (IFNAMSIZ - 1) + " bytes; no whitespace and none of " + FORBIDDEN + ")");
        }
        if (RESERVED_NAMES.contains(name)) {
            throw invalid(PredefinedNetworks.OPT_BRIDGE_NAME, name, "\"" + name + "\" is reserved by the kernel for "
                    + "the settings of every interface (/proc/sys/net/ipv4/conf/" + name + ")");
        }
        for (String prefix : DeviceNames.RESERVED_PREFIXES) {
            if (name.startsWith(prefix)) {
                throw invalid(PredefinedNetworks.OPT_BRIDGE_NAME, name, "names starting with " + prefix
                        + " are reserved for devices Berth is deleting");
            }
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

    /** The length in UTF-8 bytes, or -1 when the text holds an unpaired surrogate (no UTF-8 form). */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                return -1;
            }
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            i += Character.charCount(cp);
        }
        return bytes;
    }

    private static InvalidParameterException invalid(String key, String value, String why) {
        return new InvalidParameterException("invalid value \"" + value + "\" for option " + key + ": " + why);
    }
}
