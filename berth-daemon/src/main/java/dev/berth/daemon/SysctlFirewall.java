package dev.berth.daemon;

import dev.berth.core.model.Network;
import dev.berth.core.spi.Firewall;
import dev.berth.daemon.firewall.nft.NftFirewall;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.sysctl.Sysctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The nftables firewall plus the host-namespace sysctls its rules rely on (forwarding,
 * {@code route_localnet} for loopback-bound ports, br_netfilter hooks for {@code enable_icc=false}),
 * written before a network's rules. Runs in the daemon's host namespace; a sysctl already at the
 * wanted value is not written.
 *
 * <p>Turning IPv6 forwarding on makes the kernel ignore router advertisements on interfaces with
 * {@code accept_ra=1}, which would drop the host's RA-learned default route. So first every such
 * interface is moved to {@code accept_ra=2} (accept even when forwarding), as a router with an
 * RA-configured uplink needs.
 */
final class SysctlFirewall implements Firewall {
    private static final Logger LOG = Logger.getLogger(SysctlFirewall.class.getName());
    private static final String V6_FORWARDING = "net/ipv6/conf/all/forwarding";
    private static final Set<String> NOT_UPLINKS = Set.of("all", "default", "lo");
    private final Firewall rules;

    SysctlFirewall(Firewall rules) {
        this.rules = rules;
    }

    @Override
    public void rebuild(Collection<Network> networks, Collection<SandboxPorts> published) {
        networks.forEach(SysctlFirewall::applySysctls);
        rules.rebuild(networks, published);
    }

    @Override
    public void ensureNetwork(Network network) {
        applySysctls(network);
        rules.ensureNetwork(network);
    }

    @Override
    public void removeNetwork(Network network) {
        rules.removeNetwork(network);
    }

    @Override
    public void publish(SandboxPorts ports) {
        rules.publish(ports);
    }

    @Override
    public void unpublish(String key) {
        rules.unpublish(key);
    }

    private static void applySysctls(Network network) {
        for (Map.Entry<String, String> e : NftFirewall.requiredSysctls(network).entrySet()) {
            if (e.getKey().equals(V6_FORWARDING) && !"1".equals(Sysctl.read(V6_FORWARDING))) {
                keepRouterAdvertisements();
            }
            try {
                if (!e.getValue().equals(Sysctl.read(e.getKey()))) {
                    Sysctl.write(e.getKey(), e.getValue());
                }
            } catch (KernelException failure) {
                if (!e.getKey().startsWith("net/bridge/")) {
                    throw failure;
                }
                LOG.warning("network " + network.name() + " has enable_icc=false, which needs the br_netfilter "
                        + "module (modprobe br_netfilter); until it is loaded, sandboxes on it can still reach each "
                        + "other");
            }
        }
    }

    private static void keepRouterAdvertisements() {
        try (Stream<Path> interfaces = Files.list(Path.of("/proc/sys/net/ipv6/conf"))) {
            interfaces.map(p -> p.getFileName().toString()).filter(name -> !NOT_UPLINKS.contains(name))
                    .forEach(name -> {
                        String key = "net/ipv6/conf/" + name + "/accept_ra";
                        if ("1".equals(Sysctl.read(key))) {
                            Sysctl.write(key, "2");
                            LOG.info("accept_ra=2 on " + name + " so IPv6 forwarding keeps its router-advertised routes");
                        }
                    });
        } catch (IOException e) {
            LOG.warning("cannot list IPv6 interfaces to keep their router advertisements: " + e.getMessage());
        }
    }
}
