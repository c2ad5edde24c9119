/**
 * Use cases, one sub-package per concern; this package holds only this map.
 * <ul>
 *   <li>{@code service.state}: the state the services share ({@code ServiceState}: network snapshot,
 *       sandboxes and endpoints, taken addresses, drivers, the one write lock and the change stream),
 *       plus the pure views derived from it (gateway choice, published ports).</li>
 *   <li>{@code service.network}: networks: start-up, list with filters, look-up, create (with the
 *       IPAM and driver-option planning), remove, prune.</li>
 *   <li>{@code service.sandbox}: sandboxes and their endpoints (create, connect, disconnect, remove),
 *       published ports, default routes, the process a sandbox may run, start-up restore and the
 *       reconcile loop's pass.</li>
 *   <li>{@code service.event}: the typed changes the services report, their {@code /events} form,
 *       the event log and the filter grammar events and lists share.</li>
 * </ul>
 * Containers and images come next to them as {@code service.container} and {@code service.image},
 * over the same {@code ServiceState}.
 *
 * <pre>{@code
 * ServiceState state = new ServiceState(new ServiceDependencies(store, List.of(bridge, host, none), firewall,
 *         hostPrefixes, new EventLog(), clock, random));
 * NetworkService networks = new NetworkService(state, new NetworkSettings(engineId, pools, bridgeSettings));
 * networks.start();
 * SandboxService sandboxes = new SandboxService(state, networks, runtime);
 * sandboxes.start();                                          // namespaces, veths, default routes
 * state.changes().onChange(change -> ...);                    // under the write lock: must not block
 * state.changes().afterChange(change -> ...);                 // after it: may do I/O
 * sandboxes.connect("mynet", "c1", EndpointRequest.NONE);     // one Change.EndpointAttached
 * }</pre>
 *
 * <p>Dependencies run one way: {@code sandbox → network → state → event}; nothing imports
 * {@code sandbox}. Every change runs inside {@code ServiceState.write}, which holds the one write
 * lock; the lock order is written down (and kept) there.
 *
 * <p>One notification path: every change is a {@code Change} record published on the state's
 * {@code ChangeStream}. The {@code /events} log, the DNS name table and a running process's
 * {@code hosts} and {@code resolv.conf} subscribe to it; nobody switches over event strings. There
 * is no separate {@code DnsRegistry} port (the first design named one): DNS is a subscriber of the change
 * stream like the event log, and a port the services call would be a second path to keep in step,
 * with the services deciding what DNS needs. The stream's typed records are the contract; a DNS
 * implementation that cannot run on the writer's thread uses {@code afterChange} and reads the
 * current state.
 */
package dev.berth.core.service;
