/**
 * Sandbox use cases ({@link dev.berth.core.service.sandbox.SandboxService}: create, connect,
 * disconnect, remove, start-up restore), the process a sandbox may run
 * ({@link dev.berth.core.service.sandbox.SandboxProcesses}: {@code berth run}'s create with a command,
 * start, wait, remove, adopted across restarts), published ports ({@code PortPlanner} picks,
 * {@code PortPublisher} keeps them on the endpoint with the default route), default routes
 * ({@code DefaultRoutes}), and restore and reconcile ({@code KernelRestore}, {@code Reconciler}).
 *
 * <pre>{@code
 * SandboxService sandboxes = new SandboxService(state, networks, runtime);
 * sandboxes.start();                                         // namespaces, veths, default routes
 * new Reconciler(state, networks, sandboxes).pass();         // every 2 s: cheap check, repair on drift
 * sandboxes.create(CreateSandbox.on("c1", "mynet"));         // 172.18.0.2 on eth0
 * sandboxes.connect("other", "c1", EndpointRequest.NONE);    // eth1
 * SandboxProcesses processes = new SandboxProcesses(state, sandboxes, launcher);
 * processes.restore();                                       // adopts stored commands; exited --rm ones go
 * processes.create(CreateSandbox.on("r1", "mynet"), List.of("sleep", "9"), true);
 * processes.start("r1");                                     // exits → removed (autoRemove)
 * }</pre>
 *
 * <p>Be aware: every change validates first, then stores, then touches the kernel, each step with
 * its undo ({@code Undo}). Changes run inside {@code ServiceState.write}; {@code SandboxProcesses}'
 * monitor comes before that lock, never after, and it follows connects and disconnects through
 * {@code ChangeStream.afterChange}, i.e. once the write lock is released. Restore and reconcile share
 * one copy of the code: {@code NetworkService.ensureKernel} and {@code KernelRestore}; a sandbox that
 * cannot be restored is logged by name and skipped, never a failed start. Ports are stored with the
 * sandbox and handed to the firewall's {@code rebuild} at start-up; an internal network never
 * publishes.
 */
package dev.berth.core.service.sandbox;
