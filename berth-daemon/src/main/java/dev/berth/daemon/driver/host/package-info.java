/**
 * The {@code host} network driver: sandboxes use the host namespace's stack directly.
 *
 * <pre>{@code
 * NetworkDriver host = new HostDriver();
 * }</pre>
 *
 * <p>It never touches the kernel; what a host-mode sandbox sees is the daemon's namespace.
 */
package dev.berth.daemon.driver.host;
