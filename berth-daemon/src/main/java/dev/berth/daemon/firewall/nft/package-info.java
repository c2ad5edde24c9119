/**
 * The {@link dev.berth.core.spi.Firewall} port on nftables: isolation, icc, internal networks,
 * masquerade (v4, and ULA v6), published ports (v4/v6, any or one host address, 127.0.0.1) and
 * hairpin, all in one {@code table inet berth} applied through libnftables.
 *
 * <p>Usage sketch:
 * <pre>{@code
 * NftContext nft = NftContext.open();                 // in the daemon's host netns
 * Firewall fw = new NftFirewall(nft);
 * fw.rebuild(store.networks(), store.publishedPorts()); // start-up, reconcile
 * Firewall withSysctls = new SysctlFirewall(fw);      // what the daemon wires: writes
 * withSysctls.ensureNetwork(net);                      // requiredSysctls(net), then a few set elements
 * fw.publish(new SandboxPorts(endpointId, net, bindings));
 * }</pre>
 *
 * <p>Layout ({@code BerthTable}): fixed chains {@code forward} (filter), {@code guard} (raw
 * prerouting), {@code prerouting}/{@code output} (dnat, both jump to {@code ports}),
 * {@code postrouting} (masquerade) and {@code user}; every network and port lives in sets and
 * maps, so a change is a constant number of element additions or removals, never a chain rewrite.
 *
 * <p>Reconcile asks {@code drift()} every 2 s: one JSON listing of the table compared with the
 * fixed layout ({@code TableDrift}: chains, rule counts, user chain, sets; not set elements). A
 * rebuild repairs what it finds. {@code missingElements} (for {@code berth doctor}) also looks up
 * every element the networks and ports need ({@code ElementAudit}: one {@code get element} per set).
 *
 * <p>Be aware:
 * <ul>
 * <li>User rules go in {@code chain inet berth user}, jumped to first from {@code forward}
 * (Docker's DOCKER-USER). It is created if missing and never flushed: a rebuild flushes only the
 * other chains and the sets, in the same transaction that re-adds them, and leaves the table in
 * place. An {@code accept} there skips Berth's forward rules (not other tables' chains).</li>
 * <li>A {@code drop} anywhere wins over our {@code accept}: a host firewall with a forward
 * policy of drop in another table still blocks sandbox traffic.</li>
 * <li>icc=false needs br_netfilter and {@code bridge-nf-call-ip(6)tables=1}; a 127.0.0.1 binding
 * needs {@code route_localnet=1} on the bridge ({@link NftFirewall#requiredSysctls}). A binding
 * on {@code ::1} is rendered but the kernel will not route a loopback IPv6 source off-host.</li>
 * <li>Published-port memory is in-process: call {@code rebuild} at start-up before
 * {@code publish}/{@code unpublish}. Changing the set layout needs one {@code delete table}
 * (an {@code add set} with a different type fails).</li>
 * </ul>
 */
package dev.berth.daemon.firewall.nft;
