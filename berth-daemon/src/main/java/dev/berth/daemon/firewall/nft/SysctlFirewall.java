package dev.berth.daemon.firewall.nft;

import dev.berth.core.model.Network;
import dev.berth.core.spi.Firewall;
import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.sysctl.Sysctls;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The nftables firewall plus the host-namespace sysctls its rules rely on ({@code route_localnet}
 * for loopback-bound ports, br_netfilter hooks for {@code enable_icc=false}), written before a
 * network's rules. Forwarding itself is the bridge driver's ({@code HostForwarding}), which also
 * keeps router advertisements working on the uplinks. A sysctl already at the wanted value is not
 * written.
 */
public final class SysctlFirewall implements Firewall {
    private static final Logger LOG = Logger.getLogger(SysctlFirewall.class.getName());
    /** Owned by the bridge driver, which turns them on when endpoints need them. */
    private static final Set<String> FORWARDING = Set.of("net/ipv4/ip_forward", "net/ipv6/conf/all/forwarding");
    private final Firewall rules;
    private final Sysctls sysctl;

    /** {@code rules}: the firewall decorated (the daemon's {@link NftFirewall}), on the real sysctls. */
    public SysctlFirewall(Firewall rules) {
        this(rules, Sysctls.KERNEL);
    }

    SysctlFirewall(Firewall rules, Sysctls sysctl) {
        this.rules = rules;
        this.sysctl = sysctl;
    }

    @Override
    public void rebuild(Collection<Network> networks, Collection<SandboxPorts> published) {
        networks.forEach(this::applySysctls);
        rules.rebuild(networks, published);
    }

    @Override
    public List<KernelDrift> drift() {
        return rules.drift();
    }

    @Override
    public List<KernelDrift> missingElements(Collection<Network> networks, Collection<SandboxPorts> published) {
        return rules.missingElements(networks, published);
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

    private void applySysctls(Network network) {
        for (Map.Entry<String, String> e : NftFirewall.requiredSysctls(network).entrySet()) {
            if (FORWARDING.contains(e.getKey())) {
                continue;
            }
            try {
                if (!e.getValue().equals(sysctl.read(e.getKey()))) {
                    sysctl.write(e.getKey(), e.getValue());
                }
            } catch (KernelException failure) {
                if (failure.isErrno(Errno.ENOENT) && e.getKey().contains("/conf/")) {
                    // the bridge is not there: an overlay network without endpoints on this host (its
                    // driver writes the key when it makes the bridge), or a bridge the reconcile loop
                    // makes again (its repair rebuilds the firewall after the drivers)
                    LOG.fine("network " + network.name() + ": " + e.getKey() + " not written: no such device");
                    continue;
                }
                if (!e.getKey().startsWith("net/bridge/")) {
                    throw failure;
                }
                LOG.warning("network " + network.name() + " has enable_icc=false, which needs the br_netfilter "
                        + "module (modprobe br_netfilter); until it is loaded, sandboxes on it can still reach each "
                        + "other");
            }
        }
    }
}
