/**
 * The daemon's footprint on the machine and what it reads from it: its directories, pid file and
 * engine id ({@link dev.berth.daemon.host.DaemonRoots}), and the host facts for {@code /info},
 * {@code /version}, the ephemeral port range and the API socket's backlog
 * ({@link dev.berth.daemon.host.HostFacts}); and its heap, which
 * {@link dev.berth.daemon.host.HeapKeeper} has collected when a burst of requests left it past
 * twice what was live (the serial GC has no periodic collection of its own); and the JIT compiler
 * threads' priority while it starts ({@link dev.berth.daemon.host.JitPriority}).
 *
 * <pre>{@code
 * DaemonRoots roots = DaemonRoots.prepare(config);   // umask 022, 0711 roots, pid file claimed
 * SystemInfo info = HostFacts.systemInfo(config, roots.engineId(), version);
 * int backlog = HostFacts.acceptQueue(Sysctls.KERNEL);          // net.core.somaxconn, else 4096
 * }</pre>
 *
 * <p>Be aware: procfs sysctl files are read through {@code kernel.sysctl}, not {@code Files}
 * (see {@code HostFacts}).
 */
package dev.berth.daemon.host;
