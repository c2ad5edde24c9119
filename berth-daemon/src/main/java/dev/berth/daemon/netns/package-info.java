/**
 * Sandbox namespaces: the {@link dev.berth.core.spi.SandboxRuntime} port over
 * {@code dev.berth.kernel.netns}, one named network namespace per sandbox under
 * {@code <exec-root>/netns/<id12>} with {@code lo} up.
 *
 * <pre>{@code
 * NamedNetnsRuntime runtime = new NamedNetnsRuntime(execRoot.resolve("netns"));
 * String path = runtime.createNamespace(id);   // idempotent; adopts what a stopped daemon left
 * runtime.deleteNamespace(id);                 // sandbox rm: the only way a namespace goes
 * runtime.close();                             // daemon shutdown: namespaces stay mounted
 * }</pre>
 *
 * <p>{@link dev.berth.daemon.netns.NetnsSandboxNamespaces} is the
 * {@link dev.berth.core.spi.SandboxNamespaces} port the DNS server uses: short tasks (opening its
 * sockets) inside a sandbox namespace, and the port-53 NAT there (nft table {@code ip berth-dns},
 * written as one nf_tables batch over netlink, never through libnftables).
 *
 * <p>Be aware: the namespaces are bind mounts in the daemon's mount namespace; a namespace lives
 * on after its name goes while a socket or process still holds it (the bridge driver closes its
 * per-sandbox socket when the last endpoint leaves). Same lane as the drivers: spi, model, errors,
 * kernel.
 */
package dev.berth.daemon.netns;
