package dev.berth.daemon.doctor;

import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.nftables.NftException;
import dev.berth.kernel.nftables.NftScriptRunner;
import dev.berth.kernel.sysctl.Sysctls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Makes the real {@link HostView} of the daemon's host namespace: one link, address, IPv6 route and
 * proxy neighbour dump through the daemon's netlink socket, sysctls and files read from the calling
 * thread (the daemon's threads never leave its namespace), and one {@code list tables} to see that
 * nftables answers. The store's side comes first, under the write lock ({@code Reconciler.audit}).
 */
public final class HostReader implements Supplier<HostView> {
    private final Rtnl netlink;
    private final Sysctls sysctls;
    private final NftScriptRunner nft;
    private final Supplier<Desired> desired;

    public HostReader(Rtnl netlink, Sysctls sysctls, NftScriptRunner nft, Supplier<Desired> desired) {
        this.netlink = netlink;
        this.sysctls = sysctls;
        this.nft = nft;
        this.desired = desired;
    }

    @Override
    public HostView get() {
        Desired stored = desired.get();
        return new HostView(netlink.links(), netlink.addresses(), ipv6(() -> netlink.routes(RtNetlink.AF_INET6)),
                ipv6(() -> netlink.proxyNeighbours(RtNetlink.AF_INET6)), this::sysctl, p -> Files.exists(Path.of(p)),
                nftablesError(), stored);
    }

    /** An IPv6 dump; empty on a kernel without IPv6, where it fails. */
    private static <T> List<T> ipv6(Supplier<List<T>> dump) {
        try {
            return dump.get();
        } catch (KernelException e) {
            return List.of();
        }
    }

    private Optional<String> sysctl(String key) {
        try {
            return Optional.of(sysctls.read(key));
        } catch (KernelException e) {
            return Optional.empty();
        }
    }

    private Optional<String> nftablesError() {
        try {
            nft.query("list tables");
            return Optional.empty();
        } catch (NftException e) {
            return Optional.of(e.getMessage().strip());
        }
    }
}
