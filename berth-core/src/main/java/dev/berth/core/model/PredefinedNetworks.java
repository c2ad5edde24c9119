package dev.berth.core.model;

import java.util.Set;

/** Names and drivers of the networks every daemon has, and the bridge options Docker shows. */
public final class PredefinedNetworks {
    public static final String BRIDGE = "bridge";
    public static final String HOST = "host";
    public static final String NONE = "none";
    /** Not a network, but reserved: Docker treats it as predefined in create, rm and filters. */
    public static final String DEFAULT = "default";

    public static final String DRIVER_BRIDGE = "bridge";
    public static final String DRIVER_HOST = "host";
    public static final String DRIVER_NULL = "null";
    /** Networks across hosts: a bridge per host joined by VXLAN (only with a cluster store). */
    public static final String DRIVER_OVERLAY = "overlay";
    /** The MTU of overlay networks by default: 1500 less VXLAN's 50 bytes of headers. */
    public static final int OVERLAY_MTU = 1450;
    /** The VXLAN network id of an overlay network, as moby's overlay driver names the option. */
    public static final String OPT_OVERLAY_VNI = "com.docker.network.driver.overlay.vxlanid_list";

    public static final String DEFAULT_BRIDGE_DEVICE = "docker0";
    public static final String DEFAULT_BRIDGE_CIDR = "172.17.0.1/16";
    public static final int DEFAULT_MTU = 1500;

    public static final String OPT_BRIDGE_NAME = "com.docker.network.bridge.name";
    public static final String OPT_DEFAULT_BRIDGE = "com.docker.network.bridge.default_bridge";
    public static final String OPT_ENABLE_ICC = "com.docker.network.bridge.enable_icc";
    public static final String OPT_ENABLE_IP_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
    public static final String OPT_HOST_BINDING_IPV4 = "com.docker.network.bridge.host_binding_ipv4";
    public static final String OPT_MTU = "com.docker.network.driver.mtu";
    public static final String OPT_GATEWAY_MODE_IPV4 = "com.docker.network.bridge.gateway_mode_ipv4";
    public static final String OPT_GATEWAY_MODE_IPV6 = "com.docker.network.bridge.gateway_mode_ipv6";

    private static final Set<String> NAMES = Set.of(BRIDGE, HOST, NONE, DEFAULT);

    private PredefinedNetworks() {
    }

    public static boolean isPredefined(String name) {
        return NAMES.contains(name);
    }
}
