package dev.berth.core.service.network;

import dev.berth.core.model.IpPrefix;
import java.util.Objects;
import java.util.Optional;

/**
 * How the daemon's configuration shapes the default {@code bridge} network.
 *
 * @param ipv4           its IPv4 addressing ({@code bip}, {@code fixed-cidr}, {@code default-gateway}); one
 *                       of bip and fixed-cidr is always there (the loader supplies Docker's default bip)
 * @param ipv6           its IPv6 addressing ({@code bip6}, {@code fixed-cidr-v6},
 *                       {@code default-gateway-v6}) when daemon.json {@code ipv6} is on, else empty
 * @param mtu            MTU of the bridge and its ports
 * @param icc            whether sandboxes on the bridge may talk to each other
 * @param ipMasquerade   whether traffic leaving the bridge is masqueraded
 * @param hostBindingIp  default host address for published ports
 */
public record DefaultBridgeSettings(BridgeIpam ipv4, Optional<BridgeIpam> ipv6, int mtu, boolean icc,
                                    boolean ipMasquerade, String hostBindingIp) {

    public DefaultBridgeSettings {
        if (ipv4.subnet().isEmpty()) {
            throw new IllegalArgumentException("the default bridge needs bip or fixed-cidr");
        }
        Objects.requireNonNull(ipv6, "ipv6");
    }

    /** IPv4 only, the bridge at {@code bip}. */
    public DefaultBridgeSettings(IpPrefix bip, int mtu, boolean icc, boolean ipMasquerade, String hostBindingIp) {
        this(BridgeIpam.at(bip), Optional.empty(), mtu, icc, ipMasquerade, hostBindingIp);
    }
}
