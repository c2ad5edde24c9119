package dev.berth.daemon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.PredefinedNetworks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Kernel support: IPv6, nftables, br_netfilter. */
class KernelChecksTest {
    private final FakeHost host = FakeHost.lan();

    @Test
    void ipv6MissingIsAnErrorOnlyWhenANetworkHasIpv6() {
        host.files.remove("/proc/net/if_inet6");
        Finding none = host.one(new Ipv6KernelCheck());
        assertEquals(Severity.INFO, none.severity());
        assertTrue(none.found().contains("/proc/net/if_inet6 is missing"), none.found());
        host.network("v6", Map.of(), false, "fd00:1::/64");
        Finding needed = host.one(new Ipv6KernelCheck());
        assertEquals(Severity.ERROR, needed.severity());
        assertTrue(needed.why().contains("Networks v6 have IPv6 subnets"), needed.why());
        assertEquals("modprobe ipv6", needed.fix().getFirst());
    }

    @Test
    void ipv6DisabledEverywhereSaysHowToEnableIt() {
        host.sysctl("net/ipv6/conf/all/disable_ipv6", "1");
        Finding f = host.one(new Ipv6KernelCheck());
        assertEquals(Severity.INFO, f.severity());
        assertEquals(List.of("sysctl -w net.ipv6.conf.all.disable_ipv6=0",
                "echo 'net.ipv6.conf.all.disable_ipv6 = 0' >> /etc/sysctl.d/90-berth.conf",
                "sysctl -w net.ipv6.conf.default.disable_ipv6=0",
                "echo 'net.ipv6.conf.default.disable_ipv6 = 0' >> /etc/sysctl.d/90-berth.conf"), f.fix());
        host.sysctl("net/ipv6/conf/all/disable_ipv6", "0");
        assertEquals(Severity.OK, host.one(new Ipv6KernelCheck()).severity());
    }

    @Test
    void nftablesThatDoesNotAnswerIsAnError() {
        assertEquals(Severity.OK, host.one(new NftablesCheck()).severity());
        host.nftablesError = Optional.of("Error: Could not process rule: Operation not supported");
        Finding f = host.one(new NftablesCheck());
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.found().endsWith("Operation not supported"), f.found());
        assertEquals("modprobe nf_tables", f.fix().getFirst());
    }

    @Test
    void brNetfilterMattersOnlyForNetworksWithoutIcc() {
        host.network("open", Map.of(), false, "172.18.0.0/16");
        assertEquals(Severity.OK, host.one(new BridgeNetfilterCheck()).severity());
        host.network("closed", Map.of(PredefinedNetworks.OPT_ENABLE_ICC, "false"), false, "172.19.0.0/16",
                "fd00:19::/64");
        Finding unloaded = host.one(new BridgeNetfilterCheck());
        assertEquals(Severity.ERROR, unloaded.severity());
        assertEquals("networks closed have enable_icc=false, but the br_netfilter module is not loaded", unloaded.found());
        assertEquals("modprobe br_netfilter", unloaded.fix().getFirst());

        host.files.add("/proc/sys/net/bridge/bridge-nf-call-iptables");
        host.sysctl("net/bridge/bridge-nf-call-iptables", "1").sysctl("net/bridge/bridge-nf-call-ip6tables", "0");
        Finding off = host.one(new BridgeNetfilterCheck());
        assertEquals(Severity.ERROR, off.severity());
        assertTrue(off.found().endsWith("net.bridge.bridge-nf-call-ip6tables is 0"), off.found());
        assertEquals("sysctl -w net.bridge.bridge-nf-call-ip6tables=1", off.fix().getFirst());

        host.sysctl("net/bridge/bridge-nf-call-ip6tables", "1");
        assertEquals(Severity.OK, host.one(new BridgeNetfilterCheck()).severity());
    }
}
