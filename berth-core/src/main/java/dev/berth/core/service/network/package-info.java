/**
 * Network use cases ({@link dev.berth.core.service.network.NetworkService}): start-up (stored and
 * predefined networks, retirements a crash cut short, kernel objects, firewall rebuild), list with
 * filters, look-up by id, name or id prefix, create, remove, prune. {@code NetworkPlanner} turns a
 * request into the final network without side effects (IPAM through {@code IpamPlanner}, bridge
 * options parsed once into the model's {@code BridgeOptions}); only then are the store and the driver touched, with
 * rollback on failure. The built-in networks are re-planned at every start by {@code PredefinedPlan}; the
 * default bridge's addressing per family is a {@link dev.berth.core.service.network.BridgeIpam} (dockerd's
 * {@code bip(6)}, {@code fixed-cidr(-v6)}, {@code default-gateway(-v6)}), checked when the configuration is loaded.
 * A reload takes new settings ({@code default-network-opts}) and re-plans the default bridge in place ({@code reconfigure}: same id, its
 * endpoints' IPv6 addresses re-planned by {@code Readdressing}, also at start), returning a
 * {@link dev.berth.core.service.network.DefaultBridgeChange}; the sandbox service applies it to the kernel.
 * {@link dev.berth.core.service.network.NdpProxies} keeps the NDP proxy entries of routed IPv6
 * endpoints whose subnet lies inside a host interface's on-link prefix (daemon.json {@code ndp-proxy});
 * the sandbox service calls it with each endpoint, restore and reconcile converge it, a network's
 * removal sweeps its subnet, and {@code NetworkService.reconfigureNdpProxy} applies a new setting.
 *
 * <pre>{@code
 * NetworkService networks = new NetworkService(state, new NetworkSettings(engineId, pools, bridge));
 * networks.start();
 * CreatedNetwork created = networks.create(CreateNetwork.named("mynet"));   // 172.18.0.0/16
 * networks.remove("mynet");                                                 // 403 while endpoints exist
 * }</pre>
 *
 * <p>Be aware: reads use the state's snapshot and never block; changes run in
 * {@code ServiceState.write}, so subnet choice sees every other network. {@code ensureKernel} is
 * public for the reconcile pass and must run inside the write lock. {@code InputLimits} bounds what
 * one request may ask for, for networks and sandboxes alike.
 */
package dev.berth.core.service.network;
