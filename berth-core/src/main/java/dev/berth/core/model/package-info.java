/**
 * Domain records: ids, IP prefixes, IPAM pools, networks, sandboxes (the network side of a
 * container) and their endpoints. Immutable, validated on
 * construction, free of I/O.
 *
 * <pre>{@code
 * IpPrefix bip = IpPrefix.parse("172.17.0.1/16");
 * IpamPool pool = IpamPool.of(bip.masked(), bip.address());
 * }</pre>
 *
 * <p>Addresses are parsed by {@link dev.berth.core.model.IpAddresses}, never by
 * {@code InetAddress.getByName}, which would resolve names.
 */
package dev.berth.core.model;
