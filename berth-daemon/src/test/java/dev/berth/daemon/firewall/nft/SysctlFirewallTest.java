package dev.berth.daemon.firewall.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.service.RecordingFirewall;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.sysctl.Sysctls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sysctls written before a network's rules, on a map instead of /proc/sys. */
class SysctlFirewallTest {
    private final List<String> log = new ArrayList<>();
    private final MapSysctls sysctls = new MapSysctls();
    /** berth-core's shared double: records what reaches the decorated firewall. */
    private final RecordingFirewall rules = new RecordingFirewall();
    private final SysctlFirewall firewall = new SysctlFirewall(rules, sysctls);

    /** Sysctls in a map; a {@code net/bridge} key is missing (br_netfilter not loaded) until written. */
    private final class MapSysctls implements Sysctls {
        private final Map<String, String> values = new HashMap<>();
        private boolean refuseWrites;

        @Override
        public String read(String key) {
            if (key.startsWith("net/bridge/") && !values.containsKey(key)) {
                throw new KernelException("read sysctl " + key, Errno.ENOENT);
            }
            return values.getOrDefault(key, "0");
        }

        @Override
        public void write(String key, String value) {
            if (refuseWrites) {
                throw new KernelException("write sysctl " + key, Errno.EPERM);
            }
            log.add("sysctl " + key + "=" + value + " after " + rules.calls().size() + " rule calls");
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
    }

    @Test
    void sysctlsGoFirstAndForwardingIsLeftToTheBridgeDriver() {
        firewall.ensureNetwork(TestNetworks.bridge("web", "br-web", false, Map.of(), "198.51.100.0/24"));

        assertEquals(List.of("sysctl net/ipv4/conf/br-web/route_localnet=1 after 0 rule calls"), log);
        assertEquals(List.of("ensure web"), rules.calls());
    }

    @Test
    void aSysctlAlreadySetIsNotWrittenAgain() {
        sysctls.values.put("net/ipv4/conf/br-web/route_localnet", "1");

        firewall.rebuild(List.of(TestNetworks.bridge("web", "br-web", false, Map.of(), "198.51.100.0/24")), List.of());

        assertEquals(List.of(), log);
        assertEquals(List.of("rebuild 1"), rules.calls());
    }

    @Test
    void withoutBrNetfilterIccFalseOnlyWarns() {
        firewall.ensureNetwork(TestNetworks.bridge("quiet", "br-quiet", true,
                Map.of(PredefinedNetworks.OPT_ENABLE_ICC, "false"), "198.51.100.0/24"));

        assertEquals(List.of(), log);
        assertEquals(List.of("ensure quiet"), rules.calls());
    }

    @Test
    void anyOtherSysctlFailureStopsBeforeTheRules() {
        sysctls.refuseWrites = true;
        Network web = TestNetworks.bridge("web", "br-web", false, Map.of(), "198.51.100.0/24");

        KernelException e = assertThrows(KernelException.class, () -> firewall.ensureNetwork(web));

        assertEquals(Errno.EPERM, e.errno());
        assertEquals(List.of(), rules.calls(), "no rules for a network whose sysctls failed");
    }
}
