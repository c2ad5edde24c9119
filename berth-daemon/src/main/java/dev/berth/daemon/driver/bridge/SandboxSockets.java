package dev.berth.daemon.driver.bridge;

import dev.berth.kernel.ffm.KernelErrors;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.netns.NsVisitors;
import dev.berth.kernel.sysctl.SysctlDir;
import dev.berth.kernel.sysctl.Sysctls;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One rtnetlink socket per sandbox namespace, opened on first use (the only namespace switch:
 * {@link RtNetlink#openIn} runs on the handle's thread; start-up's restore opens them all at once
 * on a few {@link NsVisitors} instead, {@link #openAll}) and kept while the sandbox has
 * bridge endpoints. The {@link NetNs} handle is kept too: {@code createVeth} needs its fd to place
 * the peer. Both hold the namespace alive, so {@link #close} must follow the last endpoint.
 * Callers serialise access (the service's write lock).
 */
final class SandboxSockets implements AutoCloseable {

    /**
     * An open namespace, a socket inside it, and the namespace's sysctl directories, each opened
     * inside it on first use and kept with the handle ({@link SysctlDir}: a write below one skips
     * the lookup of {@code /proc/sys/net/ipv6}, which costs ~1 ms with 1000 namespaces).
     */
    record Handle(NetNs ns, Rtnl netlink, Map<String, SysctlDir> dirs) {
        Handle(NetNs ns, Rtnl netlink) {
            this(ns, netlink, new HashMap<>());
        }

        /** The namespace's directory {@code key} through {@code sysctl}, opened the first time. */
        synchronized SysctlDir dir(Sysctls sysctl, String key) {
            SysctlDir dir = dirs.get(key);
            if (dir == null) {
                dir = sysctl.dir(ns, key);
                dirs.put(key, dir);
            }
            return dir;
        }

        synchronized void closeDirs() {
            dirs.values().forEach(SysctlDir::close);
            dirs.clear();
        }
    }

    /** How a namespace's handle is opened: the seam over {@link NetNs#open} for unit tests. */
    @FunctionalInterface
    interface Opener {
        /** The real one: the namespace file, then a socket inside it. */
        Opener KERNEL = kernel(KernelErrors.NONE);

        /** The real one, its sockets telling {@code errors} of the kernel's error answers. */
        static Opener kernel(KernelErrors errors) {
            return path -> {
                NetNs ns = NetNs.open(Path.of(path));
                try {
                    return new Handle(ns, RtNetlink.openIn(ns, errors));
                } catch (RuntimeException e) {
                    ns.close();
                    throw e;
                }
            };
        }

        /** {@link #kernel(KernelErrors)}, opening many at once on {@code visitors}' threads ({@link #openAll}). */
        static Opener kernel(KernelErrors errors, NsVisitors visitors) {
            Opener one = kernel(errors);
            return new Opener() {
                @Override
                public Handle open(String path) {
                    return one.open(path);
                }

                @Override
                public Map<String, Handle> openAll(List<String> paths) {
                    Map<String, NetNs> namespaces = new LinkedHashMap<>();
                    Map<String, CompletableFuture<RtNetlink>> sockets = new LinkedHashMap<>();
                    for (String path : paths) {
                        try {
                            NetNs ns = NetNs.open(Path.of(path));
                            namespaces.put(path, ns);
                            sockets.put(path, RtNetlink.openIn(ns, errors, visitors));
                        } catch (RuntimeException e) {
                            // left for open(path), which fails again and says why where it is needed
                        }
                    }
                    CompletableFuture.allOf(sockets.values().toArray(CompletableFuture[]::new))
                            .exceptionally(e -> null).join();
                    Map<String, Handle> out = new HashMap<>();
                    sockets.forEach((path, socket) -> {
                        NetNs ns = namespaces.get(path);
                        if (socket.state() == Future.State.SUCCESS) {
                            out.put(path, new Handle(ns, socket.resultNow()));
                        } else {
                            ns.close();
                        }
                    });
                    return out;
                }
            };
        }

        Handle open(String path);

        /**
         * The handles of {@code paths} that could be opened (a failure is left for {@link #open},
         * which then reports it); one after another unless the opener can do better.
         */
        default Map<String, Handle> openAll(List<String> paths) {
            Map<String, Handle> out = new HashMap<>();
            for (String path : paths) {
                try {
                    out.put(path, open(path));
                } catch (RuntimeException e) {
                    // left for open(path)
                }
            }
            return out;
        }
    }

    private final Map<String, Handle> open = new HashMap<>();
    private final Opener opener;

    SandboxSockets() {
        this(Opener.KERNEL);
    }

    SandboxSockets(Opener opener) {
        this.opener = opener;
    }

    /** The handle for the namespace at {@code path}, opening it if needed. */
    synchronized Handle get(String path) {
        Handle handle = open.get(path);
        if (handle == null) {
            handle = opener.open(path);
            open.put(path, handle);
        }
        return handle;
    }

    /**
     * Opens the handles of every namespace of {@code paths} that has none yet, at once (start-up's
     * restore: {@link Opener#openAll}); one that cannot be opened is left for {@link #get}.
     */
    synchronized void openAll(Collection<String> paths) {
        List<String> missing = paths.stream().distinct().filter(p -> !open.containsKey(p)).toList();
        if (!missing.isEmpty()) {
            open.putAll(opener.openAll(missing));
        }
    }

    /** Closes the socket and handle of one namespace, if open. */
    synchronized void close(String path) {
        Handle handle = open.remove(path);
        if (handle != null) {
            handle.closeDirs();
            handle.netlink().close();
            handle.ns().close();
        }
    }

    @Override
    public synchronized void close() {
        for (String path : Map.copyOf(open).keySet()) {
            close(path);
        }
    }
}
