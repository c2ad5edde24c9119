/**
 * Address management: default pools, subnet choice and per-subnet address allocation, with
 * 128-bit arithmetic so IPv4 and IPv6 share every line. Pure: no I/O, no clock, no kernel.
 *
 * <pre>{@code
 * IpPrefix subnet = SubnetAllocator.lowestFree(DefaultPools.ipv4(), taken).orElseThrow();
 * AddressPool pool = new AddressPool(subnet, Optional.empty());
 * InetAddress gateway = pool.allocate();   // 172.18.0.1
 * }</pre>
 *
 * <p>Allocation is first fit everywhere, as in Docker 27+: a freed subnet or address is reused at
 * once. Unlike Docker, the lowest address of an ip-range is never the IPv4 network address.
 */
package dev.berth.core.ipam;
