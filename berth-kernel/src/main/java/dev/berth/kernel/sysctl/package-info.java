/**
 * Kernel parameters under {@code /proc/sys}, read and written in a chosen network namespace.
 *
 * <p>Usage sketch:
 * <pre>{@code
 * Sysctl.write(sandbox, "net.ipv6.conf.all.disable_ipv6", "0");  // inside the sandbox netns
 * String fwd = Sysctl.read("net.ipv4.ip_forward");                // calling thread's netns
 * Sysctl.write("net/ipv6/conf/br-a.b/accept_ra", "0");            // slash form: dots in a name
 * }</pre>
 *
 * <p>Be aware: {@code /proc/sys/net} shows the namespace of the thread that opens the file, not
 * that of the process; never write from a thread you have not placed deliberately (a virtual
 * thread's carrier may be anywhere). Most {@code net.*} keys are per namespace, but a few
 * ({@code net.core.*} buffers, {@code net.netfilter.nf_conntrack_max} in some kernels) are global
 * or read-only inside a child namespace. Per-interface keys exist only while the interface does.
 */
package dev.berth.kernel.sysctl;
