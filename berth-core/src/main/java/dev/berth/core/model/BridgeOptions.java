package dev.berth.core.model;

import dev.berth.core.errors.InvalidParameterException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bridge driver's {@code -o} options of a network, parsed and checked once, so the driver, the
 * firewall and the port publishing read typed values instead of each parsing the string map (the
 * network keeps the strings, which inspect shows as given). Booleans are Go booleans
 * ({@link GoBool}), the MTU Go's {@code Atoi} within what the kernel accepts, the host binding an IP
 * address, the bridge name a valid interface name, the gateway modes one of {@link GatewayMode}'s.
 * Unknown options are kept in the map, as Docker does.
 *
 * @param icc             {@code enable_icc}: traffic between the network's sandboxes (default true)
 * @param ipMasquerade    {@code enable_ip_masquerade} (default true)
 * @param mtu             {@code driver.mtu}; 0 when the network asks for none (the default MTU applies
 *                        and a user's bridge keeps its own)
 * @param hostBindingIpv4 {@code host_binding_ipv4}: where ports without a host IP bind (default 0.0.0.0)
 * @param bridgeName      {@code bridge.name}; {@code ""} when not given (Berth derives one)
 * @param gatewayModeIpv4 {@code gateway_mode_ipv4} (default {@code nat})
 * @param gatewayModeIpv6 {@code gateway_mode_ipv6} (default {@code nat})
 */
public record BridgeOptions(boolean icc, boolean ipMasquerade, int mtu, InetAddress hostBindingIpv4,
                            String bridgeName, GatewayMode gatewayModeIpv4, GatewayMode gatewayModeIpv6) {
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;
    /** IPv6 needs links of at least 1280 bytes (RFC 8200); below that the kernel refuses IPv6 addresses. */
    public static final int MIN_IPV6_MTU = 1280;
    public static final int IFNAMSIZ = 16;
    /** moby's error for {@code isolated} on a network that is not internal (bridge_linux.go). */
    public static final String ISOLATED_NOT_INTERNAL = "gateway mode 'isolated' can only be used for an internal network";

    /** What Go's {@code strconv.Atoi} accepts: an optional sign and decimal digits, nothing else. */
    private static final Pattern GO_INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final InetAddress ANY4 = IpAddresses.parse("0.0.0.0");
    /**
     * Characters a bridge name may not hold: '/' and ':' the kernel refuses, '%' it takes as a
     * name format, '*' nftables takes as a wildcard in an interface name (Berth's rules would
     * match every interface), '"' and '\\' would break out of a quoted nft string. The kernel
     * alone would take "a%d" and create a0, then a1... on each retry.
     */
    private static final String FORBIDDEN = "/:%*\"\\";
    /** Device names the kernel accepts but that collide with its {@code conf/all} and {@code conf/default}. */
    private static final Set<String> RESERVED_NAMES = Set.of("all", "default");


    public BridgeOptions {
        Objects.requireNonNull(hostBindingIpv4, "hostBindingIpv4");
        Objects.requireNonNull(bridgeName, "bridgeName");
        Objects.requireNonNull(gatewayModeIpv4, "gatewayModeIpv4");
        Objects.requireNonNull(gatewayModeIpv6, "gatewayModeIpv6");
    }

    /**
     * Parses a create request's options; throws InvalidParameter for the first bad value, in the
     * order icc, masquerade, MTU, host binding, bridge name, gateway modes (IPv4, IPv6). {@code ipv6}
     * says whether the network has IPv6, which raises the lowest MTU allowed. Whether an
     * {@code isolated} mode is allowed depends on the network's flags: see {@link #checkIsolated}.
     */
    public static BridgeOptions parse(Map<String, String> options, boolean ipv6) {
        boolean icc = bool(options, PredefinedNetworks.OPT_ENABLE_ICC);
        boolean masquerade = bool(options, PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE);
        String mtuText = options.get(PredefinedNetworks.OPT_MTU);
        int mtu = mtuText == null ? 0 : parseMtu(mtuText, ipv6);
        InetAddress hostIp = ANY4;
        String hostText = options.get(PredefinedNetworks.OPT_HOST_BINDING_IPV4);
        if (hostText != null) {
            try {
                hostIp = IpAddresses.parse(hostText);
            } catch (InvalidParameterException e) {
                throw invalid(PredefinedNetworks.OPT_HOST_BINDING_IPV4, hostText, "it must be an IP address");
            }
        }
        String name = options.getOrDefault(PredefinedNetworks.OPT_BRIDGE_NAME, "");
        if (!name.isEmpty()) {
            checkBridgeName(name);
        }
        return new BridgeOptions(icc, masquerade, mtu, hostIp, name,
                gatewayMode(options, PredefinedNetworks.OPT_GATEWAY_MODE_IPV4),
                gatewayMode(options, PredefinedNetworks.OPT_GATEWAY_MODE_IPV6));
    }

    /** The gateway mode of one family. */
    public GatewayMode gatewayMode(boolean ipv6) {
        return ipv6 ? gatewayModeIpv6 : gatewayModeIpv4;
    }

    /**
     * The pools whose gateway the bridge carries: each pool with a gateway, except those of a
     * family in gateway mode {@code isolated} (moby puts no address on the bridge for it, even one
     * the request named).
     */
    public List<IpamPool> gatewaysOnBridge(List<IpamPool> pools) {
        return pools.stream().filter(p -> p.gateway().isPresent() && gatewayMode(!p.isIpv4()) != GatewayMode.ISOLATED)
                .toList();
    }

    /** Refuses {@code isolated} for either family unless the network is internal, with moby's message. */
    public void checkIsolated(boolean internal) {
        if (!internal && (gatewayModeIpv4 == GatewayMode.ISOLATED || gatewayModeIpv6 == GatewayMode.ISOLATED)) {
            throw new InvalidParameterException(ISOLATED_NOT_INTERNAL);
        }
    }

    /**
     * moby's {@code newGwMode} and its {@code parseErr}: {@code failed to parse KEY value: V
     * (unknown gateway mode V)}; an empty value is unknown too, as in moby.
     */
    private static GatewayMode gatewayMode(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            return GatewayMode.NAT;
        }
        return GatewayMode.parse(value).orElseThrow(() -> new InvalidParameterException("failed to parse " + key
                + " value: " + value + " (unknown gateway mode " + value + ")"));
    }

    /**
     * The options of a stored network. Checked when it was created; the family rule of the MTU is
     * not applied again, and an empty boolean means the default, as the firewall always read it.
     */
    public static BridgeOptions of(Network network) {
        Map<String, String> options = new HashMap<>(network.options());
        options.remove(PredefinedNetworks.OPT_ENABLE_ICC, "");
        options.remove(PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE, "");
        if (network.driver().equals(PredefinedNetworks.DRIVER_OVERLAY)) {
            options.putIfAbsent(PredefinedNetworks.OPT_MTU, Integer.toString(PredefinedNetworks.OVERLAY_MTU));
        }
        return parse(options, false);
    }

    /** The MTU the bridge and its veths get: the asked one, else Docker's default. */
    public int effectiveMtu() {
        return mtu == 0 ? PredefinedNetworks.DEFAULT_MTU : mtu;
    }

    /** Whether the network asks for an MTU (a user's bridge is then set to it). */
    public boolean asksMtu() {
        return mtu != 0;
    }

    private static boolean bool(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            return true;
        }
        return GoBool.parse(value).orElseThrow(() -> invalid(key, value, "it must be a boolean (true or false)"));
    }

    /**
     * Go's {@code strconv.Atoi} (as moby parses it: no spaces, an optional sign); 0 means the
     * default MTU, as in moby; otherwise a value the kernel accepts for the network's families.
     */
    private static int parseMtu(String text, boolean ipv6) {
        if (!GO_INTEGER.matcher(text).matches()) {
            throw invalid(PredefinedNetworks.OPT_MTU, text, "it must be an integer");
        }
        long mtu = text.length() > 12 ? Long.MAX_VALUE : Long.parseLong(text);
        if (mtu == 0) {
            return 0;
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw invalid(PredefinedNetworks.OPT_MTU, text, "it must be between " + MIN_MTU + " and " + MAX_MTU);
        }
        if (ipv6 && mtu < MIN_IPV6_MTU) {
            throw invalid(PredefinedNetworks.OPT_MTU, text, "an IPv6 network needs an MTU of at least "
                    + MIN_IPV6_MTU);
        }
        return (int) mtu;
    }

    /**
     * A bridge name must be a name the kernel creates as given and Berth can use safely: at most
     * 15 printable ASCII characters, not {@code .} or {@code ..}, none of {@link #FORBIDDEN}. The
     * kernel would take any UTF-8, but the firewall's rules name the bridge in nft's quoted
     * strings, which hold printable ASCII only, and a daemon in the C locale cannot even form the
     * bridge's {@code /proc/sys} path from other characters (found by the API fuzzer: a 500).
     * {@code all} and {@code default} name the kernel's settings of every device
     * ({@code /proc/sys/net/ipv4/conf/all}), and Berth's own retirement prefixes are reserved so
     * that nothing Berth renames and deletes can be a user's device.
     */
    private static void checkBridgeName(String name) {
        int bytes = utf8Length(name);
        if (bytes < 0) {
            throw invalid(PredefinedNetworks.OPT_BRIDGE_NAME, name, "it is not valid Unicode (a lone surrogate)");
        }
        if (bytes >= IFNAMSIZ || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> FORBIDDEN.indexOf(c) >= 0 || c <= ' ' || c > '~')) {
            throw invalid(PredefinedNetworks.OPT_BRIDGE_NAME, name, "it must be a valid interface name (at most "
                    + (IFNAMSIZ - 1) + " printable ASCII characters; no whitespace and none of " + FORBIDDEN + ")");
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
