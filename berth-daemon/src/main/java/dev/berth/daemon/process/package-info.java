/**
 * Sandbox processes ({@code berth run}): the {@link dev.berth.core.spi.ProcessLauncher} port over
 * {@code conmon}, one monitor per sandbox, plus the files the process sees as
 * {@code /etc/resolv.conf}, {@code /etc/hosts} and {@code /etc/hostname}, kept under
 * {@code <exec-root>/sandboxes/<id>/} with the process's output ({@code output.log}) and what the
 * monitor records (PIDs, exit status).
 *
 * <pre>{@code
 * ConmonLauncher launcher = ConmonLauncher.install(execRoot, Path.of("/etc/resolv.conf"));
 * long pid = launcher.start(new ProcessLauncher.Launch(id, "c1", "c1", netnsPath, List.of("sleep", "9"), addrs, true),
 *         status -> record(status));
 * launcher.updateFiles(new ProcessLauncher.FilesUpdate(id, "c1", "c1", addrsNow, true)); // after a connect
 * launcher.kill(id);            // SIGKILL to the PID namespace; the callback reports 137
 * // after a daemon restart:
 * ProcessLauncher.Adopted found = launcher.adopt(id, status -> record(status));
 * launcher.deleteFiles(id);
 * }</pre>
 *
 * <p><b>Why conmon, and the stand-in runtime.</b> A process must outlive the daemon (dockerd's
 * live restore) and its exit status must be known even when it ends while no daemon runs. That
 * needs a monitor per process that is not the daemon: the one the real containers will use is
 * {@code conmon} (Debian package {@code conmon} 2.1.6; {@code scripts/install-deps.sh} installs
 * it), so sandboxes use it now and containers will share the mechanism. conmon does not run a
 * plain command: it calls an OCI runtime's {@code create --bundle DIR --pid-file FILE ID} and
 * then waits (as a subreaper) for the PID written there, writing its exit status, 128 + signal
 * when killed, to {@code --exit-dir/<id>}; it calls nothing else (no {@code start}, {@code kill}
 * or {@code delete}: podman does those). So {@link ConmonLauncher#RUNTIME}, a ten-line
 * {@code /bin/sh} script written to {@code <exec-root>/berth-runtime} (0700), stands in for runc:
 * it runs the sandbox's {@code start} script in the background and writes its PID. With runc the
 * same conmon call runs an image instead. {@code --sync} keeps conmon the daemon's child while the
 * daemon lives (its end is seen at once, without polling), {@code -l passthrough:} hands the
 * process conmon's stdout and stderr ({@code output.log}) unchanged. A hand-made double-forked
 * monitor would have done too, but would be a second mechanism to keep.
 *
 * <p><b>Nothing outlives the sandbox.</b> The command runs as PID 1 of a PID namespace of its own
 * ({@code unshare --pid --fork}): whatever it forks, and whatever {@code berth exec} starts (the
 * CLI enters the PID namespace too), is killed by the kernel when PID 1 ends, whether it exits on
 * its own or is killed by {@code rm -f}. {@code --kill-child} ends PID 1 when {@code unshare} (the
 * process conmon waits for) is killed. A cgroup per sandbox would also have worked, but this host
 * has hybrid cgroups (v1 controllers, an empty v2 tree) and its daemon may itself run in a
 * cgroup it does not own; the PID namespace needs neither. The namespace gets its own
 * {@code /proc} (mounted by the start script), so {@code ps} inside shows only the sandbox.
 *
 * <p><b>Be aware:</b> {@code unshare --fork} cannot pass on a SIGKILL of its child (util-linux
 * 2.38 tries to re-raise the signal, fails on SIGKILL with "sigprocmask unblock failed" and
 * exits 1), so the daemon kills {@code unshare} itself (conmon then records 137) rather than
 * PID 1 alone. A non-interactive shell starts background jobs with SIGINT and SIGQUIT ignored;
 * {@code env --default-signal} in the start script restores them for the command.
 *
 * <p>A JVM cannot {@code setns} into a mount namespace or {@code unshare} one (it is
 * multi-threaded, see kernel-interface.md §5), so each process is started through util-linux
 * {@code nsenter --net} and {@code unshare}, then a tiny {@code /bin/sh} script bind-mounts the
 * files and sets the hostname before it {@code exec}s the command. This is process creation, not
 * network configuration: the rule against shelling out to {@code ip}/{@code nft}/{@code iptables}/
 * {@code sysctl} still holds. The bind mounts pin the files' inodes, so a connect or disconnect
 * edits them in place (truncate and one write), never by renaming a new file over them. Same lane
 * as the drivers: spi, model, errors.
 */
package dev.berth.daemon.process;
