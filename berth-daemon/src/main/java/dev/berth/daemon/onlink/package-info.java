/**
 * Which IPv6 prefixes are on-link at the host's interfaces: the one rule that the NDP proxy
 * ({@code driver.bridge.NetlinkNdpProxy}) and {@code berth doctor} both apply, as a pure function
 * over one look at the host namespace's links, addresses and IPv6 routes.
 *
 * <pre>{@code
 * List<OnLinkPrefix> lan = OnLinkPrefixes.of(rtnl.links(), rtnl.addresses(), rtnl.routes(RtNetlink.AF_INET6));
 * // [2001:db8::/64 on eth0]
 * }</pre>
 *
 * <p>Which subnet an on-link prefix serves is {@code IpPrefix.properlyContains} (core), which the
 * core's {@code NdpProxies} applies as well.
 */
package dev.berth.daemon.onlink;
