/**
 * nftables through libnftables (FFM): a small, generic model of tables, chains, sets, maps and
 * rules that renders nft script text, and a context that applies such text atomically. Knows
 * nothing about networks or containers.
 *
 * <p>Usage sketch:
 * <pre>{@code
 * NftTable t = new NftTable(NftFamily.INET, "demo");
 * NftSet lan = NftSet.set(t, "lan", "ifname");
 * NftChain fwd = NftChain.base(t, "forward",
 *         new NftChain.Hook("filter", "forward", "filter", NftChain.Policy.ACCEPT));
 * String script = new NftScript().add(t).add(lan).add(fwd).flush(fwd)
 *         .add(new NftRule(fwd, "iifname != @lan oifname @lan drop"))
 *         .addElements(lan, List.of(NftText.quoted("br0"))).render();
 * try (NftContext nft = NftContext.open()) {   // in the calling thread's netns
 *     nft.run(script);                           // all or nothing; NftException on failure
 * }
 * }</pre>
 *
 * <p>Be aware:
 * <ul>
 * <li>A context stays in the network namespace where it was opened; open it inside another
 * namespace with {@code NetNs.call(NftContext::open)} on a platform thread, never a virtual one.</li>
 * <li>libnftables 1.0.x waits for the kernel's answers with {@code select()}, and glibc aborts the
 * whole process when the context's socket is numbered 1024 or more. Open contexts early (the
 * daemon opens its one host context at start-up and keeps it: 1.0.6 opens the socket once, in
 * {@code nft_ctx_new}, and never re-opens it) and never one per sandbox later on: the sandboxes'
 * tables go over netlink ({@code kernel.netlink.NftBatch}).</li>
 * <li>Needs {@code libnftables.so.1} (Debian {@code libnftables1}) at run time and CAP_NET_ADMIN;
 * the script text is plain nft syntax, so {@code nft -f -} applies the same text for debugging.</li>
 * <li>nftables 1.0.6 has no {@code destroy}: deleting something absent fails the whole
 * transaction; {@link dev.berth.kernel.nftables.NftScript#deleteElementsIfPresent} works around it
 * for elements. Priority keywords are per hook ({@code dstnat} is not valid for {@code output}).</li>
 * <li>Never ask for echo/handle output: it makes each change O(rules). Keep per-item state in sets
 * and maps, removed by key.</li>
 * </ul>
 */
package dev.berth.kernel.nftables;
