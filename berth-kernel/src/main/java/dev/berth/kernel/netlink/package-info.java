/**
 * rtnetlink (NETLINK_ROUTE) through FFM: links (bridge, veth), addresses, main-table routes and
 * proxy neighbours, with a small message codec ({@code NlWriter}, {@code NlMessage},
 * {@code NlAttrs}) and one codec class per object kind. Also nf_tables (NETLINK_NETFILTER) on the
 * same codec: {@link dev.berth.kernel.netlink.NftBatch} writes tables, base chains, chain flushes
 * and rules ({@link dev.berth.kernel.netlink.NftExpr}) as one transaction, and
 * {@link dev.berth.kernel.netlink.NftRules} reads a chain's DNAT and port-setting rules back; neither needs
 * libnftables, whose {@code select()} aborts the process for a socket numbered 1024 or more.
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
 * try (NetNs ns = NetNs.open(sandboxNs)) {                // nf_tables in the sandbox: all or nothing
 *     NftBatch.Chain out = new NftBatch.Chain(new NftBatch.Table(NfProto.IPV4, "t"), "output");
 *     NftBatch batch = new NftBatch().addTable(out.table())
 *             .addBaseChain(out, "filter", NftBatch.Hook.OUTPUT, 0).flush(out)
 *             .addRule(out, List.of(NftExpr.drop()));
 *     ns.call(() -> { batch.commit(); return null; });   // KernelException naming the refused message
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
 *   <li>An nf_tables batch is applied while the send runs; the kernel answers every message (an
 *       ack or its error) and, on any error, undoes the whole batch. {@code NftBatch} writes what
 *       libnftables 1.0.6 writes for the same nft text (its unit test compares the bytes), except
 *       the user data nft keeps with an anonymous set for its printing; {@code nft list} prints
 *       the result the same.</li>
 * </ul>
 */
package dev.berth.kernel.netlink;
