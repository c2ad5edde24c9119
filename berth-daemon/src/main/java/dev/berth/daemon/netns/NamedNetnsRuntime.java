package dev.berth.daemon.netns;

import dev.berth.core.errors.InternalException;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.SandboxRuntime;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.sysctl.Sysctl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Sandbox namespaces as named namespaces under {@code <exec-root>/netns/<id12>}, pinned by bind
 * mounts like {@code ip netns add} makes them. A namespace lives from its sandbox's create to its
 * remove: a daemon stop (graceful or not) leaves every one mounted, with its interfaces,
 * addresses and routes, and the next start adopts it where it is (a sandbox is "running" from
 * create to remove, and a container's process outlives the daemon: live restore). Only a file
 * that no longer pins a network namespace is made again.
 */
public final class NamedNetnsRuntime implements SandboxRuntime, AutoCloseable {
    private final Path directory;

    public NamedNetnsRuntime(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The bind-mount file of a sandbox's namespace. */
    public Path path(SandboxId id) {
        return directory.resolve(id.shortId());
    }

    /**
     * The namespace at {@code <exec-root>/netns/<id12>}: adopted as it is when the file pins a
     * network namespace (a daemon stop left it; the caller's restore then verifies and repairs the
     * links inside), otherwise made afresh (a file without a mount is what a crash mid-create or
     * an unmount by hand leaves).
     */
    @Override
    public String createNamespace(SandboxId id) {
        Path file = path(id);
        try {
            if (NetNs.isOtherNetNs(file)) {
                return file.toString();
            }
            NetNs.delete(file);
            try (NetNs ns = NetNs.create(file)) {
                ns.run(NamedNetnsRuntime::prepare);
            }
            return file.toString();
        } catch (KernelException e) {
            throw new InternalException("create network namespace for sandbox " + id.shortId() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs inside the new namespace, on NetNs's throwaway platform thread. Loopback up, and IPv6 off by default for the interfaces to come (lo keeps {@code ::1}), as
     * Docker has it on interfaces of IPv4-only networks: no link-local address, DAD or MLD
     * reports flooding the bridge. The bridge driver turns IPv6 on for an endpoint that has an
     * IPv6 address. Nothing to do for IPv6 when the kernel has none.
     *
     * <p>An interface that does get IPv6 sends no control multicast that would only flood the
     * bridge: a Berth bridge has no multicast snooping, so each such packet goes to every port and
     * is received by every other sandbox (1-2.5 ms of kernel time per packet at 1000 sandboxes).
     * No router solicitations (the default route is Berth's; router advertisements that reach the
     * sandbox are still accepted) and no DAD for the link-local address (the global ones are added
     * without it). MLD reports, which no sysctl turns off, are dropped on the way out by the table
     * the DNS redirect comes with ({@link NetnsSandboxNamespaces}).
     */
    private static void prepare() {
        try (RtNetlink netlink = RtNetlink.open()) {
            netlink.link("lo").ifPresent(lo -> netlink.setUp(lo.index(), true));
        }
        if (Sysctl.writeIfPresent("net.ipv6.conf.default.disable_ipv6", "1")) {
            Sysctl.write("net.ipv6.conf.default.router_solicitations", "0");
            Sysctl.write("net.ipv6.conf.default.dad_transmits", "0");
        }
    }

    @Override
    public void deleteNamespace(SandboxId id) {
        try {
            NetNs.delete(path(id));
        } catch (KernelException e) {
            throw new InternalException("delete network namespace of sandbox " + id.shortId() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void deleteOthers(Collection<SandboxId> keep) {
        Set<String> kept = keep.stream().map(SandboxId::shortId).collect(Collectors.toSet());
        for (Path file : files()) {
            if (!kept.contains(file.getFileName().toString())) {
                NetNs.delete(file);
            }
        }
    }

    /**
     * Daemon shutdown: the namespaces stay (see the class comment); the directory's own bind
     * mount goes when no sandbox namespace is left in it, so an empty exec root holds no mount.
     */
    @Override
    public void close() {
        if (files().isEmpty()) {
            NetNs.releaseDirectory(directory);
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(p -> p.getFileName().toString().matches("[0-9a-f]{12}")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + directory, e);
        }
    }
}
