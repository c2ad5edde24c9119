/**
 * Sandbox processes ({@code berth run}) and containers: the {@link dev.berth.core.spi.ProcessLauncher}
 * port over {@code conmon}, one monitor per sandbox, plus the files the process sees as
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
 *
 * // a container: the same calls with a ContainerConfig and its mounted root filesystem
 * launcher.start(new ProcessLauncher.Launch(id, "c1", "c1", netnsPath, cfg.argv(), addrs, true, cfg, rootfs), onExit);
 * launcher.signal(id, 15);                                  // kill(2) on the container's PID 1
 * ContainerIo io = launcher.containerIo();
 * try (ContainerIo.Attached a = io.attach(id, true, true, true)) { ... }   // docker attach
 * ContainerIo.Exec exec = io.exec(id, spec, true);           // docker exec; exec.exit() → 0, 126, 127, ...
 * io.logs(id, -1, null, true, entry -> ...);                  // docker logs -f
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
 * <p><b>Containers: runc under conmon.</b> A {@code Launch} with a {@code container} is run by
 * {@code runc} (Debian's 1.1.5; crun fails on this host's hybrid cgroups) on the root filesystem
 * the image store mounted ({@link dev.berth.daemon.process.RuncContainers}). The sandbox's directory
 * is the OCI bundle: {@link dev.berth.daemon.process.OciSpec} writes {@code config.json} as
 * dockerd 28 would (Docker's 14 default capabilities with cap-add/cap-drop/ALL; privileged = the
 * daemon's whole bounding set, no masks, no seccomp, every device allowed by the device cgroup
 * (but, unlike Docker, the host's device nodes are not added to its {@code /dev}); Docker's masked and read-only paths; proc,
 * {@code /dev} tmpfs, devpts, shm, mqueue, read-only sysfs and cgroup; the sandbox's
 * {@code resolv.conf}, {@code hostname}, {@code hosts} bind-mounted, so connect and disconnect
 * edit them as before; the user's bind and tmpfs mounts; memory, CPU (quota over a 100 ms period)
 * and PID limits; the user resolved through the image's {@code /etc/passwd} and {@code /etc/group}
 * ({@link dev.berth.daemon.process.ContainerUser}); namespaces pid, ipc, uts, mount and the
 * sandbox's network namespace by path, none in host mode). Seccomp is a deny list of Berth's own,
 * not Docker's allow list: everything is allowed but what Docker's profile refuses to a container
 * without the capability that would unlock it (keyrings, kexec, modules, mount, unshare, setns,
 * bpf, ...; EPERM). Not filtered as Docker does: {@code clone} with namespace flags and socket
 * families. Privileged containers have no filter.
 *
 * <p>The protocol is podman's: the daemon starts {@code conmon --api-version 1 --sync -r runc
 * --runtime-arg --root --runtime-arg <exec-root>/runc -l k8s-file:<dir>/container.log ...} with
 * {@code _OCI_SYNCPIPE}; conmon runs {@code runc create}, answers {@code {"data": <pid>}} (or
 * {@code {"data": -1, "message": <runc's error>}}, which becomes a 400 with dockerd's words), and
 * the daemon runs {@code runc start}. A JVM cannot pass a child extra descriptors, so each pipe
 * is a fifo in the bundle that {@code /bin/sh} opens read-write as descriptor 3, 4, ... before it
 * {@code exec}s conmon ({@link dev.berth.daemon.process.Fifo}); conmon holding it read-write, it never
 * gets SIGPIPE once the daemon is gone. {@code -t} with a TTY (conmon owns the console socket,
 * made under {@code TMPDIR} = the exec root for a short path), {@code -i} with OpenStdin and
 * {@code --leave-stdin-open} unless StdinOnce. The PID runc reports is also written to {@code pid},
 * so signal, kill and adopt work for containers and host binaries alike: signals are kill(2) to
 * the container's PID 1 (checked to be PID 1 of another PID namespace), SIGKILL ends its whole
 * PID namespace, the exit status comes from conmon's exit file. {@code deleteFiles} and
 * {@code removeOthers} also run {@code runc delete --force} (state under
 * {@code <exec-root>/runc/<id>}, cgroups {@code /berth/<id>}).
 *
 * <p><b>Be aware:</b> conmon stays in the daemon's cgroup (podman moves it out through the start
 * pipe; Berth does not yet). A service manager that kills the daemon's whole cgroup kills the
 * monitors too (the containers, in {@code /berth/<id>}, run on unwatched): run berthd under
 * systemd with {@code KillMode=process}, as {@code docker.service} does.
 *
 * <p>Streams ({@link dev.berth.daemon.process.ContainerIo}, implemented over conmon): attach is
 * conmon's attach socket, SOCK_SEQPACKET, each message from conmon one chunk whose first byte is
 * the pipe (conmon's {@code stdpipe_t}: 2 stdout, 3 stderr), stdin sent unframed, {@code shutdown(SHUT_WR)} ending stdin.
 * Java's Unix-domain channels are SOCK_STREAM only, so {@code kernel.ffm.Libc} gained
 * {@code connect}/{@code send}/{@code shutdown} (a few FFM calls next to the ones the kernel layer
 * has, rather than junixsocket's native library); the socket is reached through
 * {@code /proc/self/fd/<dirfd>/attach} so the 108-byte {@code sun_path} never limits the exec root.
 * An attach made before the container runs ({@code docker run}) waits and is connected after
 * {@code runc create} and before {@code runc start}, so no output is missed; attachments waiting
 * together share one connection ({@link dev.berth.daemon.process.PendingAttachments}). Resize and log reopening are lines on conmon's {@code ctl} fifo. Exec is a second conmon with
 * {@code --exec --exec-process-spec} (the container's process with the exec's argv, env, user,
 * cwd, TTY) and, attached, {@code --exec-attach} with {@code _OCI_ATTACHPIPE} and
 * {@code _OCI_STARTPIPE}: conmon opens the attach socket, says so, waits until the daemon has
 * connected, then runs {@code runc exec}; a command that cannot run ends with 127 (not found) or
 * 126 and runc's error on stdout, as moby reports it. Logs are conmon's k8s-file lines
 * ({@code <time> <stream> <F|P> <bytes>}); conmon 2.1.6 has no json-file and no rotation (its
 * {@code --log-size-max} starts the file afresh, which is Docker's {@code max-file=1}), so with
 * {@code max-file} &gt; 1 the daemon rotates (checked every second while it runs; a log grows past
 * its size while no daemon runs): rename to {@code .1} ..., then conmon reopens through {@code ctl}.
 *
 * <p>A JVM cannot {@code setns} into a mount namespace or {@code unshare} one (it is
 * multi-threaded, see kernel-interface.md §5), so each host-binary process is started through util-linux
 * {@code nsenter --net} and {@code unshare}, then a tiny {@code /bin/sh} script bind-mounts the
 * files and sets the hostname before it {@code exec}s the command. This is process creation, not
 * network configuration: the rule against shelling out to {@code ip}/{@code nft}/{@code iptables}/
 * {@code sysctl} still holds. The bind mounts pin the files' inodes, so a connect or disconnect
 * edits them in place (truncate and one write), never by renaming a new file over them. Same lane
 * as the drivers: spi, model, errors.
 */
package dev.berth.daemon.process;
