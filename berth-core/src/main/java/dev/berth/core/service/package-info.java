/**
 * Use cases: networks (start-up, list with filters, look-up by id, name or id prefix, create,
 * remove, prune), sandboxes and their endpoints ({@link dev.berth.core.service.SandboxService}:
 * create, connect, disconnect, remove, start-up restore), the process a sandbox may run
 * ({@link dev.berth.core.service.SandboxProcesses}: {@code berth run}'s create with a command,
 * start, wait, remove, with the sandbox living as long as its process), and the event log they
 * report to. Each change follows validate, then apply with rollback.
 *
 * <pre>{@code
 * NetworkService networks = new NetworkService(
 *         new NetworkDependencies(store, List.of(bridge, host, none), firewall, hostPrefixes, new EventLog(),
 *                 clock, random),
 *         new NetworkSettings(engineId, defaultAddressPools, bridgeSettings));
 * networks.start();
 * CreatedNetwork created = networks.create(CreateNetwork.named("mynet"));   // 172.18.0.0/16
 * SandboxService sandboxes = new SandboxService(networks, runtime);
 * sandboxes.start();                                         // namespaces, veths, default routes
 * new Reconciler(networks, sandboxes).pass();                // every 2 s: cheap check, repair on drift
 * sandboxes.create(CreateSandbox.on("c1", "mynet"));         // 172.18.0.2 on eth0
 * sandboxes.connect("other", "c1", EndpointRequest.NONE);    // eth1
 * sandboxes.create(new CreateSandbox("web", "", "mynet", Map.of(),
 *         List.of(new PortRequest("80/tcp", "", "8080"))));  // 0.0.0.0:8080 (+ [::]:8080 with IPv6)
 * networks.remove("mynet");                                  // 403 while c1 is attached
 * SandboxProcesses processes = new SandboxProcesses(sandboxes, store, launcher, clock);
 * processes.restore();                                       // adopts stored commands; exited --rm ones go
 * processes.create(CreateSandbox.on("r1", "mynet"), List.of("sleep", "9"), true);
 * processes.start("r1");                                     // exits → removed (autoRemove)
 * int status = processes.await("r1", "not-running");
 * }</pre>
 *
 * <p>Reads use a snapshot and never block; writes hold one lock, so subnet choice sees every
 * other network. {@link dev.berth.core.service.NetworkPlanner} turns a request into the final
 * network without side effects; only then are the store and the driver touched. Event listeners
 * run under the event log's lock and must not block. Sandboxes share the network write lock (one
 * lock, no lock order); {@code SandboxProcesses} has its own monitor, taken before the network
 * lock, never after it, and never held while waiting for an exit (a connect or disconnect calls
 * it back through {@code onEndpointsChanged} once the network lock is released, to update a
 * running process's {@code hosts} and {@code resolv.conf}); addresses live in an in-memory {@code AddressBook} rebuilt from the store
 * at start-up (gateways, auxiliary addresses, every endpoint's addresses), as Docker's IPAM is. The services know no kernel or I/O: drivers, the sandbox
 * runtime, the store and the host's prefixes are ports ({@code spi}).
 *
 * <p>Published ports: {@code PortPlanner} validates {@code PortBindings} and picks host ports
 * (ephemeral ones from the range given to {@code SandboxService}) before anything is made; a
 * clash with another sandbox is a 409 naming it. The chosen ports are stored with the sandbox and
 * published by {@code PortPublisher} on one endpoint, the one giving the default route (so never
 * on an internal network); they move when that changes and are handed to the firewall's
 * {@code rebuild} at start-up.
 *
 * <p>Restore and reconcile share one copy of the code: {@code NetworkService.ensureKernel} (each
 * network's kernel objects, the firewall table) and {@code KernelRestore} (namespaces, endpoints,
 * default routes, published ports). Start-up runs them once; {@link dev.berth.core.service.Reconciler}
 * runs them when the drivers' and firewall's cheap {@code drift} checks find a difference, and
 * emits a {@code network reconcile} event per network concerned. A sandbox or user network that
 * cannot be restored is logged by name and skipped, never a failed start.
 */
package dev.berth.core.service;
