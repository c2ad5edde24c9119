package dev.berth.daemon.firewall.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.spi.Firewall;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.sysctl.Sysctls;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sysctls written before a network's rules, on a map instead of /proc/sys. */
class SysctlFirewallTest {
    private final List<String> log = new ArrayList<>();
    private final Map<String, String> values = new HashMap<>();
    private final Sysctls sysctls = new Sysctls() {
        @Override
        public String read(String key) {
            if (key.startsWith("net/bridge/") && !values.containsKey(key)) {
                throw new KernelException("read sysctl " + key, Errno.ENOENT); // br_netfilter not loaded
            }
            return values.getOrDefault(key, "0");
        }

        @Override
        public void write(String key, String value) {
            log.add("sysctl " + key + "=" + value);
            values.put(key, value);
        }

        @Override
        public boolean writeIfPresent(String key, String value) {
            throw new AssertionError("not used");
        }

        @Override
        public void write(NetNs ns, String key, String value) {
            throw new AssertionError("not used");
        }
    };
    private final Firewall rules = new Firewall() {
        @Override
        public void rebuild(Collection<Network> networks, Collection<SandboxPorts> published) {
            log.add("rules rebuild " + networks.size());
        }

        @Override
        public void ensureNetwork(Network network) {
            log.add("rules ensure " + network.name());
        }

        @Override
        public void removeNetwork(Network network) {
            log.add("rules remove " + network.name());
        }

        @Override
        public void publish(SandboxPorts ports) {
            log.add("rules publish " + ports.key());
        }

        @Override
        public void unpublish(String key) {
            log.add("rules unpublish " + key);
        }
    };
    private final SysctlFirewall firewall = new SysctlFirewall(rules, sysctls);

    @Test
    void sysctlsGoFirstAndForwardingIsLeftToTheBridgeDriver() {
        firewall.ensureNetwork(TestNetworks.bridge("web", "br-web", false, Map.of(), "198.51.100.0/24"));

        assertEquals(List.of("sysctl net/ipv4/conf/br-web/route_localnet=1", "rules ensure web"), log);
    }

    @Test
    void aSysctlAlreadySetIsNotWrittenAgain() {
        values.put("net/ipv4/conf/br-web/route_localnet", "1");

        firewall.rebuild(List.of(TestNetworks.bridge("web", "br-web", false, Map.of(), "198.51.100.0/24")), List.of());

        assertEquals(List.of("rules rebuild 1"), log);
    }

    @Test
    void withoutBrNetfilterIccFalseOnlyWarns() {
        firewall.ensureNetwork(TestNetworks.bridge("quiet", "br-quiet", true,
                Map.of(PredefinedNetworks.OPT_ENABLE_ICC, "false"), "198.51.100.0/24"));

        assertEquals(List.of("rules ensure quiet"), log);
    }

    @Test
    void anyOtherSysctlFailureStopsBeforeTheRules() {
        Firewall failing = new SysctlFirewall(rules, new Sysctls() {
            @Override
            public String read(String key) {
                return "0";
            }

            @Override
            public void write(String key, String value) {
                throw new KernelException("write sysctl " + key, Errno.EPERM);
            }

            @Override
            public boolean writeIfPresent(String key, String value) {
                throw new AssertionError("not used");
            }

            @Override
            public void write(NetNs ns, String key, String value) {
                throw new AssertionError("not used");
            }
        });
        Network web = TestNetworks.bridge("web", "br-web", false, Map.of(), "198.51.100.0/24");

        KernelException e = assertThrows(KernelException.class, () -> failing.ensureNetwork(web));

        assertEquals(Errno.EPERM, e.errno());
        assertEquals(List.of(), log, "no rules for a network whose sysctls failed");
    }
}
