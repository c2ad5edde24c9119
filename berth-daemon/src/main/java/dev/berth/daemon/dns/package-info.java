/**
 * The embedded DNS server at 127.0.0.11 of every sandbox on a user-defined network, as Docker's.
 *
 * <ul>
 *   <li>{@link dev.berth.daemon.dns.NameTable}: immutable names → addresses (and reverse) per
 *       network, rebuilt from the service's state on every change and swapped atomically.</li>
 *   <li>{@link dev.berth.daemon.dns.Resolver}: the answer rules, a pure function of query bytes,
 *       sandbox and table; it answers, forwards or drops, and never throws.</li>
 *   <li>{@link dev.berth.daemon.dns.Forwarder}: unknown names to at most 3 upstreams over UDP
 *       (TCP when truncated or when the client used TCP) from the daemon's own namespace.</li>
 *   <li>{@link dev.berth.daemon.dns.DnsServer}: one selector thread serving every sandbox's UDP
 *       and TCP listener; the sockets are opened inside the sandbox namespace through the
 *       {@link dev.berth.core.spi.SandboxNamespaces} port, which also installs the port-53 NAT.</li>
 * </ul>
 *
 * <pre>{@code
 * DnsServer dns = new DnsServer(namespaces, new Forwarder(Upstreams.of(config, resolvConf)));
 * dns.start();
 * dns.update(NameTable.build(entries), sandboxesById);   // on every sandbox/endpoint change
 * dns.close();
 * }</pre>
 *
 * <p>Be aware: no kernel imports here (the port does the namespace work); the selector thread
 * never blocks on anything but its selector; no static mutable state.
 */
package dev.berth.daemon.dns;
