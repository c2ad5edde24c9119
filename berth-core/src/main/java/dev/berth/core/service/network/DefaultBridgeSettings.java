package dev.berth.core.service.network;

import dev.berth.core.model.IpPrefix;

/**
 * How the daemon's configuration shapes the default {@code bridge} network.
 *
 * @param bip            the bridge's address with prefix length, e.g. {@code 172.17.0.1/16}
 * @param mtu            MTU of the bridge and its ports
 * @param icc            whether sandboxes on the bridge may talk to each other
 * @param ipMasquerade   whether traffic leaving the bridge is masqueraded
 * @param hostBindingIp  default host address for published ports
 */
public record DefaultBridgeSettings(IpPrefix bip, int mtu, boolean icc, boolean ipMasquerade, String hostBindingIp) {
}
