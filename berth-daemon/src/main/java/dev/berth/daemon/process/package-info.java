/**
 * Sandbox processes ({@code berth run}): the {@link dev.berth.core.spi.ProcessLauncher} port as
 * child processes of the daemon, plus the files they see as {@code /etc/resolv.conf},
 * {@code /etc/hosts} and {@code /etc/hostname}, kept under {@code <exec-root>/sandboxes/<id>/}
 * with the process's output ({@code output.log}).
 *
 * <pre>{@code
 * ChildProcessLauncher launcher = new ChildProcessLauncher(execRoot.resolve("sandboxes"), Path.of("/etc/resolv.conf"));
 * long pid = launcher.start(new ProcessLauncher.Launch(id, "c1", "c1", netnsPath, List.of("sleep", "9"), addrs, true),
 *         status -> record(status));
 * launcher.updateFiles(new ProcessLauncher.FilesUpdate(id, "c1", "c1", addrsNow, true)); // after a connect
 * launcher.kill(pid);           // SIGKILL; the callback reports 137
 * launcher.deleteFiles(id);
 * }</pre>
 *
 * <p>Be aware: a JVM cannot {@code setns} into a mount namespace or {@code unshare} one (it is
 * multi-threaded, see kernel-interface.md §5), so each process is started through util-linux
 * {@code nsenter --net} and {@code unshare --mount --uts}, then a tiny {@code /bin/sh} script
 * bind-mounts the files and sets the hostname before it {@code exec}s the command. This is
 * process creation, not network configuration: the rule against shelling out to
 * {@code ip}/{@code nft}/{@code iptables}/{@code sysctl} still holds. Nothing here enters a
 * namespace in the JVM. The bind mounts pin the files' inodes, so a connect or disconnect edits
 * them in place (truncate and one write), never by renaming a new file over them. Same lane as
 * the drivers: spi, model, errors.
 */
package dev.berth.daemon.process;
