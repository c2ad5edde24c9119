/**
 * {@code berth doctor}: the host's readiness for Berth's networks, IPv6 above all, as users get it
 * wrong (docker-network-behavior.md §7.6, §9), and whether the kernel objects Berth owns are as the
 * store says. Each {@link dev.berth.daemon.doctor.Check} is a small pure class over one
 * {@link dev.berth.daemon.doctor.HostView}; each {@link dev.berth.daemon.doctor.Finding} carries an
 * id, a severity, what was found, why it matters and the commands that fix it.
 *
 * <pre>{@code
 * Doctor doctor = new Doctor(new HostReader(netlink, Sysctls.KERNEL, nft, () -> new Desired(
 *         networks, endpoints, reconciler.audit(), ulaPool)), Doctor.standardChecks());
 * List<Finding> findings = doctor.examine();    // most serious first
 * }</pre>
 *
 * <p>Adding a check: a class implementing {@code Check} that reads only the view (add a dump or a
 * field to {@code HostView} and {@code HostReader} if it needs one), a unit test over a fake view,
 * and one entry in {@code Doctor.standardChecks}.
 *
 * <p>Be aware: nothing here changes the host; fixes are text for the user. Sysctls and
 * {@code /proc} files are read on the calling thread, so the caller must be in the daemon's own
 * namespace (API threads are).
 */
package dev.berth.daemon.doctor;
