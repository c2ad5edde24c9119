/**
 * libc through {@code java.lang.foreign}: sockets (netlink; Unix SOCK_SEQPACKET clients, which
 * Java's own Unix-domain channels cannot be), {@code setns}/{@code unshare}, {@code open}, {@code mkfifo},
 * {@code mount}/{@code umount2}, with errno captured per call, plus the {@link
 * dev.berth.kernel.ffm.Errno} names and the {@link dev.berth.kernel.ffm.KernelException} every
 * kernel-layer failure is reported with.
 *
 * <p>Usage sketch:
 * <pre>{@code
 * int fd = Libc.open("/run/netns/c1", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
 * try {
 *     ...
 * } catch (KernelException e) {
 *     if (e.isErrno(Errno.ENOENT)) { ... }   // e.getMessage(): "open /run/netns/c1: ENOENT (No such file or directory)"
 * } finally {
 *     Libc.close(fd);
 * }
 * }</pre>
 *
 * <p>Be aware:
 * <ul>
 *   <li>The JVM needs {@code --enable-native-access=ALL-UNNAMED} (or the manifest entry), else it
 *       warns on first use and a future release will refuse.</li>
 *   <li>errno is only trustworthy through {@code captureCallState}; the capture var handle needs
 *       the extra {@code 0L} base-offset coordinate since Java 22.</li>
 *   <li>{@code setns}/{@code unshare} act on the calling OS thread: call them only on dedicated
 *       platform threads, never on virtual threads (the namespace would belong to the carrier and
 *       leak into other virtual threads). {@code dev.berth.kernel.netns} does this for you.</li>
 *   <li>Never fork or clone through FFM and never install native signal handlers.</li>
 * </ul>
 */
package dev.berth.kernel.ffm;
