/**
 * The {@code bridge} network driver: a Linux bridge per network with the pools' gateway
 * addresses, and a veth pair per endpoint into the sandbox's namespace, through rtnetlink (no
 * {@code ip} processes).
 *
 * <pre>{@code
 * NetworkDriver bridge = new BridgeDriver(RtNetlink.open(), new LinkReaper(RtNetlink.open()), new SecureRandom());
 * bridge.ensure(network); // creates or repairs br-<id12> / docker0
 * }</pre>
 *
 * <p>The bridge gets an explicit MAC derived from the network id: left alone, the kernel gives a
 * bridge the lowest MAC of its ports, so its MAC (and the sandboxes' neighbour entries) would
 * change as ports come and go; and a bridge made again after it was deleted keeps its MAC, so the
 * sandboxes' neighbour entries for the gateway stay valid. IPv6 gateways are added with NODAD, as Docker does, so they are usable at once.
 *
 * <p>Ownership ({@code BridgeOwnership}): every bridge Berth creates is born in device group
 * {@code DeviceNames.OWNED_BRIDGE_GROUP} (set by the creating RTM_NEWLINK, so no crash leaves it
 * unmarked), and only such bridges are ever renamed or deleted, on removal, rollback or the
 * start-up sweep of {@code bx-} devices. An existing bridge named by
 * {@code com.docker.network.bridge.name} is the user's: it is used and only loses the network's
 * gateways when the network goes. Any other device with that name is refused before anything is
 * stored ({@code check}), and never touched.
 *
 * <p>Endpoints: the peer is created inside the sandbox namespace by the one RTM_NEWLINK that makes
 * the pair (moving it later costs ~15-19 ms); the sandbox side is configured through one socket
 * per sandbox, opened once and closed with its last endpoint. Host veths are deleted off the
 * request path by {@code LinkReaper}; a join into a sandbox waits for that sandbox's pending
 * deletions so an old {@code eth<N>} is never in the way. Forwarding sysctls are written only in
 * the daemon's own namespace.
 *
 * <p>Restore and reconcile: {@code restore} (start-up, and reconcile's repair) converges every
 * stored endpoint: a pair that exists is repaired in place ({@code EndpointRepair}), a missing or
 * half-made one made again, and each endpoint that fails is returned, not thrown, so one broken
 * sandbox stops nothing. {@code drift} ({@code BridgeDrift}) is the cheap check reconcile runs
 * every 2 s: one link dump and one address dump of the host namespace, no namespace switch.
 *
 * <p>Beside the driver, two ports of the host namespace that concern bridge networks:
 * {@code NetlinkHostPrefixes} (what automatic subnets avoid) and {@code NetlinkNdpProxy} (the NDP
 * proxy entries of routed IPv6 sandboxes inside the LAN's prefix, marked with neighbour protocol 98
 * so only Berth's are ever deleted).
 *
 * <p>Seams for unit tests: the classes take the kernel as {@code kernel.netlink.Rtnl} (the
 * interface {@code RtNetlink} implements), {@code kernel.sysctl.Sysctls} (default
 * {@code Sysctls.KERNEL}) and {@code SandboxSockets.Opener} (default: {@code NetNs.open} plus a
 * socket inside), so {@code BridgeDriver}, {@code EndpointLinks} and {@code LinkReaper} run on
 * in-memory fakes. {@code HostForwarding} still asks {@code Files} whether a sysctl exists.
 */
package dev.berth.daemon.driver.bridge;
