/**
 * Network namespace handles: open, create and delete named namespaces ({@code ip netns}
 * equivalents) and run a short task inside one.
 *
 * <p>Usage sketch:
 * <pre>{@code
 * try (NetNs sandbox = NetNs.create(Path.of("/run/netns/c1"))) {
 *     RtNetlink inside = sandbox.call(RtNetlink::open);   // the socket stays in c1 afterwards
 *     sandbox.run(() -> Sysctl.write("net.ipv6.conf.all.disable_ipv6", "0"));
 * }
 * NetNs.delete(Path.of("/run/netns/c1"));                  // idempotent
 * }</pre>
 *
 * <p>Be aware:
 * <ul>
 *   <li>The namespace of a thread belongs to the OS thread. {@link dev.berth.kernel.netns.NetNs#call}
 *       therefore runs each task on the handle's own platform thread, which entered the namespace
 *       once and serves no other (it ends after a second idle or when the handle closes); never call
 *       {@code setns} on a virtual thread (it would change the carrier and leak into unrelated
 *       virtual threads).</li>
 *   <li>{@link dev.berth.kernel.netns.NsVisitors} is for passes over many namespaces (start-up):
 *       a few long-lived threads that enter each task's namespace and go back home after it, so
 *       a thousand namespaces cost no thousand thread starts. Same rules for its tasks.</li>
 *   <li>Inside a task, do only socket/netlink/sysctl work. Anything that lazily starts a JDK
 *       helper thread (process reaper, common pool, async logging) would create that thread inside
 *       the namespace for good.</li>
 *   <li>A namespace lives while its bind mount, an open handle, a socket or a process holds it.
 *       {@code delete} only removes the name; the kernel tears the namespace down asynchronously
 *       once the last reference goes.</li>
 *   <li>Creating a namespace also makes the parent directory a shared mount point, like
 *       {@code ip netns add} does for {@code /run/netns}.</li>
 * </ul>
 */
package dev.berth.kernel.netns;
