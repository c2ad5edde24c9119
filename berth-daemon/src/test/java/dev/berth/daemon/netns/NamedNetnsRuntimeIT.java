package dev.berth.daemon.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.SandboxId;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.sysctl.Sysctl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A sandbox namespace as it is born, read back from the kernel: loopback up, and for the
 * interfaces to come IPv6 off, and when it is turned on no router solicitations and no DAD (what
 * would flood the bridge; the machine's own namespace keeps its values).
 */
class NamedNetnsRuntimeIT {
    @Test
    void aNewNamespaceHasLoopbackUpAndTheQuietIpv6Defaults() throws Exception {
        Path dir = Files.createTempDirectory("berth-netns-it");
        String initialRs = Sysctl.read("net.ipv6.conf.default.router_solicitations");
        String initialDad = Sysctl.read("net.ipv6.conf.default.dad_transmits");
        SandboxId id = new SandboxId("%064x".formatted(9));
        NamedNetnsRuntime runtime = new NamedNetnsRuntime(dir);
        try {
            String path = runtime.createNamespace(id);
            try (NetNs ns = NetNs.open(Path.of(path))) {
                List<String> inside = ns.call(() -> {
                    try (RtNetlink netlink = RtNetlink.open()) {
                        return List.of(Boolean.toString(netlink.link("lo").orElseThrow().up()),
                                Sysctl.read("net.ipv6.conf.default.disable_ipv6"),
                                Sysctl.read("net.ipv6.conf.default.router_solicitations"),
                                Sysctl.read("net.ipv6.conf.default.dad_transmits"));
                    }
                });
                assertEquals(List.of("true", "1", "0", "0"), inside);
            }
            assertEquals(initialRs, Sysctl.read("net.ipv6.conf.default.router_solicitations"), "the host's own value");
            assertEquals(initialDad, Sysctl.read("net.ipv6.conf.default.dad_transmits"), "the host's own value");
        } finally {
            runtime.deleteNamespace(id);
            runtime.close();
            assertFalse(Files.exists(dir.resolve(id.shortId())));
            Files.deleteIfExists(dir);
            assertTrue(Files.notExists(dir));
        }
    }
}
