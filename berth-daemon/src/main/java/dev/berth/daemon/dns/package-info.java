/**
 * The embedded DNS server at 127.0.0.11 of every sandbox on a user-defined network, as Docker's.
 *
 * <ul>
 *   <li>{@link dev.berth.daemon.dns.NameTable}: names → addresses (and reverse) per network,
 *       changed one endpoint at a time from the service's change stream; queries read its
 *       concurrent maps without locking (values are replaced, never changed in place).</li>
 *   <li>{@link dev.berth.daemon.dns.Resolver}: the answer rules, a pure function of query bytes,
 *       sandbox and table; it answers, forwards or drops, and never throws.</li>
 *   <li>{@link dev.berth.daemon.dns.PlainAnswers}: the hot path, a plain A/AAAA question for a
 *       local name answered from the query bytes without dnsjava, byte for byte as the resolver
 *       would; anything else goes to the resolver.</li>
 *   <li>{@link dev.berth.daemon.dns.Forwarder}: unknown names to at most 3 upstreams over UDP
 *       (TCP when truncated or when the client used TCP) from the daemon's own namespace, through
 *       {@link dev.berth.daemon.dns.UpstreamSockets} (a few connected sockets per upstream on
 *       random ports, renewed, a random id per query) and the
 *       {@link dev.berth.daemon.dns.AnswerCache} (answers for their TTL; daemon.json
 *       {@code dns-cache}; negative answers without an SOA for {@code dns-neg-ttl}), which the
 *       serving threads ask first from a plain query's bytes, before dnsjava reads it.</li>
 *   <li>{@link dev.berth.daemon.dns.ForwardedQuery}: what an upstream reply must be to count as
 *       the answer (parses, same id and question, sane rcode). A plain reply (usual record types,
 *       every name and rdata checked from the bytes, fits the client) is relayed as it came with
 *       the client's id; anything else is read by dnsjava and written again for the client within
 *       its size (512 over UDP without EDNS, its EDNS size, 65535 over TCP), TC set when something
 *       was left out; garbage from every upstream ends as SERVFAIL. A plain A/AAAA query that is
 *       not local goes upstream from its bytes too, so the usual forwarded query never meets
 *       dnsjava.</li>
 *   <li>{@link dev.berth.daemon.dns.DnsServer}: two selector threads (one per UDP socket of a
 *       listener, {@code SO_REUSEPORT} on one port), the first also serving every TCP listener;
 *       UDP queries read and answered in batches with recvmmsg/sendmmsg
 *       ({@link dev.berth.kernel.ffm.UdpBatch}, one per thread) where the JDK shows a channel's
 *       descriptor, else one datagram at a time through the channel;
 *       the sockets are opened inside the sandbox namespace through the
 *       {@link dev.berth.core.spi.SandboxNamespaces} port, which also installs the port-53 NAT.</li>
 * </ul>
 *
 * <pre>{@code
 * Forwarder forwarder = new Forwarder(Forwarder.Settings.of(Upstreams.of(config.dns(), resolvConfText)));
 * forwarder.start();                                      // on a thread in the daemon's namespace
 * DnsServer dns = new DnsServer(namespaces, forwarder, DnsServer.LISTEN);
 * dns.start();
 * dns.update(table, sandboxesById);   // at start; then table.put/remove + dns.sync per change
 * dns.close();
 * forwarder.close();
 * }</pre>
 *
 * <p>As in Docker, a sandbox's listeners stay once opened, until the sandbox is removed, since its
 * {@code resolv.conf} keeps naming 127.0.0.11 after it leaves its last user-defined network; the
 * default bridge counts as external access for forwarding.
 *
 * <p>Differences from Docker: the in-flight limit is per daemon, and REFUSED comes at once instead of
 * after a 4 s wait; the per-attempt upstream timeout is 2 s (Docker: 4 s); all upstreams are
 * queried from the daemon's namespace ({@code --dns} per container does not exist yet); no
 * {@code --link} aliases, SRV or ndots rule; an upstream reply too big for the client's UDP size is
 * truncated with TC (Docker relays it whole, past the size the client advertised); forwarded
 * answers are cached for their TTL unless {@code dns-cache} is false (Docker caches nothing), and
 * an NXDOMAIN/NODATA without an SOA for {@code dns-neg-ttl} seconds (5; RFC 2308 §5 would keep it
 * not at all: 0). Unknown single-label names are forwarded, as Docker does (and aardvark-dns since
 * 1.13; before, it answered them NXDOMAIN itself).
 *
 * <p>Be aware: no kernel imports here but {@code UdpBatch} (the port does the namespace work); a selector thread
 * never blocks on anything but its selector; no static mutable state.
 */
package dev.berth.daemon.dns;
