/**
 * Ports the use cases need from the outside world: {@link dev.berth.core.spi.NetworkDriver} for
 * kernel objects of networks and endpoints, {@link dev.berth.core.spi.SandboxRuntime} for
 * sandbox namespaces, {@link dev.berth.core.spi.StateStore} for durable state and
 * {@link dev.berth.core.spi.HostPrefixes} for the host's routes and addresses that automatic
 * subnets avoid, {@link dev.berth.core.spi.NdpProxy} for the host's NDP proxy entries (routed IPv6
 * sandboxes inside the LAN's prefix), {@link dev.berth.core.spi.ProcessLauncher} for the process a
 * sandbox runs.
 * Drivers and the firewall also answer {@code drift}: a cheap look at whether the kernel still
 * matches, which the reconcile loop asks every 2 s ({@link dev.berth.core.spi.KernelDrift}).
 * Implementations live in the daemon module ({@code driver.*}, {@code store}, {@code process}).
 * A port whose kernel objects may also belong to others (NDP proxy entries) says how the
 * implementation tells Berth's apart; Berth changes only its own.
 *
 * <pre>{@code
 * driver.ensure(network);   // idempotent: safe at every start-up
 * store.putNetwork(network); // one transaction
 * }</pre>
 */
package dev.berth.core.spi;
