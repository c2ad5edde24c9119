package dev.berth.daemon.driver.bridge;

import dev.berth.kernel.ffm.KernelErrors;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.sysctl.SysctlDir;
import dev.berth.kernel.sysctl.Sysctls;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One rtnetlink socket per sandbox namespace, opened on first use (the only namespace switch:
 * {@link RtNetlink#openIn} runs on a throwaway platform thread) and kept while the sandbox has
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

        Handle open(String path);
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
