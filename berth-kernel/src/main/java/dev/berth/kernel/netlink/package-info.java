/**
 * rtnetlink (NETLINK_ROUTE) through FFM: links (bridge, veth), addresses, main-table routes and
 * proxy neighbours, with a small message codec ({@code NlWriter}, {@code NlMessage},
 * {@code NlAttrs}) and one codec class per object kind.
 *
 * <p>Usage sketch:
 * <pre>{@code
 * try (RtNetlink host = RtNetlink.openIn(hostNs)) {
 *     Link br = host.createBridge(new BridgeSpec("br-a1", 0, null));
 *     host.setUp(br.index(), true);
 *     host.addAddress(new AddressSpec(br.index(), InetAddress.getByName("172.18.0.1"), 16, false));
 *     Link veth = host.createVeth(new VethSpec("veth1a2b", "eth0", Mac.parse("02:42:ac:12:00:02"),
 *             0, br.index(), true, sandboxNs));         // peer born inside the sandbox
 * }
 * try (RtNetlink sandbox = RtNetlink.openIn(sandboxNs)) {
 *     Link eth0 = sandbox.link("eth0").orElseThrow();
 *     sandbox.addAddress(new AddressSpec(eth0.index(), InetAddress.getByName("172.18.0.2"), 16, false));
 *     sandbox.setUp(eth0.index(), true);
 *     sandbox.addRoute(RouteSpec.defaultVia(InetAddress.getByName("172.18.0.1")));
 * }
 * }</pre>
 *
 * <p>Be aware:
 * <ul>
 *   <li>A socket acts in the namespace it was opened in; {@code openIn} opens it on a thread
 *       inside the target namespace, and it stays there.</li>
 *   <li>Kernel errors come as NLMSG_ERROR with {@code -errno}; every request carries NLM_F_ACK
 *       and is matched by sequence number. With extended acks on, the kernel's reason text is
 *       appended to the exception message.</li>
 *   <li>Deleting a link (and moving one between namespaces) costs ~15-19 ms of RCU wait in the
 *       kernel: keep it off request paths. Create veth peers directly in their namespace.</li>
 *   <li>Creating a link returns after a second round trip (GETLINK by name) to report the index.</li>
 *   <li>Routes are read and written in the main table only.</li>
 * </ul>
 */
package dev.berth.kernel.netlink;
