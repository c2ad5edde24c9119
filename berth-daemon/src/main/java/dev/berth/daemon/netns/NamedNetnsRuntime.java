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
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Sandbox namespaces as named namespaces under {@code <exec-root>/netns/<id12>}, pinned by bind
 * mounts like {@code ip netns add} makes them. Closing the runtime (daemon shutdown) unmounts them
 * all and the directory's own mount: nothing is left in the exec root, and the next start
 * re-creates the namespaces of the stored sandboxes.
 */
public final class NamedNetnsRuntime implements SandboxRuntime, AutoCloseable {
    private final Path directory;
    private volatile Supplier<Set<SandboxId>> keepAtShutdown = Set::of;

    public NamedNetnsRuntime(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The bind-mount file of a sandbox's namespace. */
    public Path path(SandboxId id) {
        return directory.resolve(id.shortId());
    }

    @Override
    public String createNamespace(SandboxId id) {
        Path file = path(id);
        try {
            if (isMounted(file)) {
                return file.toString();
            }
            // A file without a mount is what a shutdown or a crash mid-create leaves: start afresh.
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
     */
    private static void prepare() {
        try (RtNetlink netlink = RtNetlink.open()) {
            netlink.link("lo").ifPresent(lo -> netlink.setUp(lo.index(), true));
        }
        Sysctl.writeIfPresent("net.ipv6.conf.default.disable_ipv6", "1");
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
     * At shutdown, the namespaces of these sandboxes stay: processes run in them that outlive the
     * daemon (live restore), and the next daemon must find them where they are. Asked when the
     * runtime closes.
     */
    public void keepAtShutdown(Supplier<Set<SandboxId>> running) {
        this.keepAtShutdown = running;
    }

    /**
     * Unmounts every namespace but those {@link #keepAtShutdown} names, and the directory when
     * none is kept; the stored sandboxes come back at the next start. (Unmounting the namespace of
     * a running container would cut it off: the next daemon would plumb a new namespace it is
     * not in.)
     */
    @Override
    public void close() {
        Set<String> kept = keepAtShutdown.get().stream().map(SandboxId::shortId).collect(Collectors.toSet());
        KernelException first = null;
        boolean keptAny = false;
        for (Path file : files()) {
            if (kept.contains(file.getFileName().toString())) {
                keptAny = true;
                continue;
            }
            try {
                NetNs.delete(file);
            } catch (KernelException e) {
                first = first == null ? e : first;
            }
        }
        if (!keptAny) {
            NetNs.releaseDirectory(directory);
        }
        if (first != null) {
            throw first;
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

    private static boolean isMounted(Path file) {
        if (!Files.exists(file)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            String target = file.toString();
            return lines.map(l -> l.split(" ")).anyMatch(f -> f.length > 4 && f[4].equals(target));
        } catch (IOException e) {
            throw new UncheckedIOException("read /proc/self/mountinfo", e);
        }
    }
}
