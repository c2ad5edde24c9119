package dev.berth.daemon.firewall.nft;

import static dev.berth.daemon.firewall.nft.BerthTable.OPEN4;
import static dev.berth.daemon.firewall.nft.BerthTable.OPEN6;
import static dev.berth.daemon.firewall.nft.BerthTable.PUB4_ADDR;
import static dev.berth.daemon.firewall.nft.BerthTable.PUB4_ANY;
import static dev.berth.daemon.firewall.nft.BerthTable.PUB6_ADDR;
import static dev.berth.daemon.firewall.nft.BerthTable.PUB6_ANY;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.PortBinding;
import dev.berth.core.spi.Firewall.SandboxPorts;
import dev.berth.kernel.nftables.NftSet;
import dev.berth.kernel.nftables.NftText;

/**
 * The map elements of one sandbox's published ports: one element per binding, in
 * {@code pub4_any}/{@code pub6_any} for the unspecified host address and in
 * {@code pub4_addr}/{@code pub6_addr} for a specific one (127.0.0.1 included). On a family whose
 * gateway mode is {@code routed} a binding is no DNAT but its sandbox address and port opened as
 * they are, in {@code open4}/{@code open6} (host address and port ignored, as moby's routed port
 * mapper does). Internal networks and bindings whose host and sandbox addresses differ in family
 * publish nothing, as in Docker.
 */
record PortElements(Map<NftSet, List<String>> elements) {
    static final PortElements NONE = new PortElements(Map.of());

    PortElements {
        Map<NftSet, List<String>> copy = new LinkedHashMap<>();
        elements.forEach((set, list) -> copy.put(set, List.copyOf(list)));
        elements = java.util.Collections.unmodifiableMap(copy);
    }

    static PortElements of(SandboxPorts ports) {
        if (!NetworkElements.applies(ports.network()) || ports.network().flags().internal()) {
            return NONE;
        }
        BridgeOptions options = BridgeOptions.of(ports.network());
        Map<NftSet, List<String>> out = new LinkedHashMap<>();
        for (PortBinding b : ports.bindings()) {
            boolean v4 = b.hostIp() instanceof Inet4Address;
            if (v4 != (b.sandboxIp() instanceof Inet4Address)) {
                continue;
            }
            String proto = b.protocol();
            if (options.gatewayMode(!v4) == GatewayMode.ROUTED) {
                add(out, v4 ? OPEN4 : OPEN6, NftText.concat(IpAddresses.format(b.sandboxIp()), proto,
                        Integer.toString(b.sandboxPort())));
                continue;
            }
            String target = NftText.concat(IpAddresses.format(b.sandboxIp()), Integer.toString(b.sandboxPort()));
            String port = NftText.concat(proto, Integer.toString(b.hostPort()));
            NftSet set;
            String key;
            if (b.hostIp().isAnyLocalAddress()) {
                set = v4 ? PUB4_ANY : PUB6_ANY;
                key = port;
            } else {
                set = v4 ? PUB4_ADDR : PUB6_ADDR;
                key = NftText.concat(IpAddresses.format(b.hostIp()), port);
            }
            add(out, set, NftText.mapping(key, target));
        }
        return new PortElements(out);
    }

    private static void add(Map<NftSet, List<String>> out, NftSet set, String element) {
        List<String> list = out.computeIfAbsent(set, s -> new ArrayList<>());
        if (!list.contains(element)) {
            list.add(element);
        }
    }

    /** This minus {@code other}, per set. */
    PortElements minus(PortElements other) {
        Map<NftSet, List<String>> out = new LinkedHashMap<>();
        elements.forEach((set, list) -> {
            Set<String> drop = Set.copyOf(other.elements.getOrDefault(set, List.of()));
            out.put(set, list.stream().filter(e -> !drop.contains(e)).toList());
        });
        return new PortElements(out);
    }

    boolean isEmpty() {
        return elements.values().stream().allMatch(List::isEmpty);
    }
}
