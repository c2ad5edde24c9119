package dev.berth.core.service.state;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PortBinding;
import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.PublishedPort;
import dev.berth.core.model.Sandbox;
import dev.berth.core.spi.Firewall.SandboxPorts;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which ports a sandbox publishes and on which endpoints: all of them on the one that supplies its
 * IPv4 default route (else its IPv6 one), as {@link GatewayChoice} picks it; and on every other
 * endpoint, those of a family whose gateway mode is {@code routed} (moby keeps routed port
 * mappings on every endpoint: they only open the sandbox's own port). Pure: the firewall's
 * {@code rebuild} input at start-up and the sandbox service's {@code PortPublisher} both use it.
 */
public final class PublishedPorts {
    private static final InetAddress ANY4 = IpAddresses.parse("0.0.0.0");
    private static final InetAddress ANY6 = IpAddresses.parse("::");

    private PublishedPorts() {
    }

    /** What every sandbox publishes now: the firewall's {@code rebuild} input at start-up. */
    static List<SandboxPorts> all(Attachments attachments, Function<NetworkId, Optional<Network>> networks) {
        List<SandboxPorts> out = new ArrayList<>();
        for (Sandbox s : attachments.sandboxes()) {
            List<Attachment> joined = attachments.endpointsOf(s.id()).stream()
                    .flatMap(e -> networks.apply(e.networkId()).map(n -> new Attachment(n, s, e)).stream())
                    .toList();
            out.addAll(of(s, joined));
        }
        return out;
    }

    /**
     * The ports a sandbox publishes, one entry per endpoint that publishes: first the endpoint
     * chosen now for the default route (also when none of its bindings applies), then each other
     * endpoint with routed bindings. Empty when the sandbox publishes no ports.
     */
    public static List<SandboxPorts> of(Sandbox sandbox, List<Attachment> attachments) {
        if (sandbox.ports().isEmpty()) {
            return List.of();
        }
        GatewayChoice choice = GatewayChoice.of(attachments);
        EndpointId id = choice.ipv4() != null ? choice.ipv4() : choice.ipv6();
        List<SandboxPorts> out = new ArrayList<>();
        attachments.stream().filter(a -> a.endpoint().id().equals(id)).findFirst()
                .ifPresent(a -> out.add(new SandboxPorts(id.value(), a.network(),
                        bindings(a.network(), a.endpoint(), sandbox.ports()))));
        for (Attachment a : attachments) {
            if (a.endpoint().id().equals(id) || a.network().flags().internal()
                    || !a.network().isBridged()) {
                continue;
            }
            List<PortBinding> routed = bindings(a.network(), a.endpoint(), sandbox.ports()).stream()
                    .filter(b -> routed(a.network(), b.sandboxIp())).toList();
            if (!routed.isEmpty()) {
                out.add(new SandboxPorts(a.endpoint().id().value(), a.network(), routed));
            }
        }
        return out;
    }

    /**
     * The bindings of ports on one endpoint. An empty host IP means the network's
     * {@code host_binding_ipv4} (default {@code 0.0.0.0}); {@code 0.0.0.0} that way also binds
     * {@code ::} when the endpoint has IPv6. A host address of a family the endpoint lacks binds
     * nothing (Docker's userland 6to4 proxy is not done). On a routed family the binding keeps no
     * host address and no host port (moby: {@code Using address 0.0.0.0 because NAT is disabled},
     * {@code Host port ignored}).
     */
    public static List<PortBinding> bindings(Network network, Endpoint endpoint, List<PublishedPort> ports) {
        List<PortBinding> out = new ArrayList<>();
        InetAddress fallback = BridgeOptions.of(network).hostBindingIpv4();
        for (PublishedPort p : ports) {
            InetAddress host = p.hostIp().isEmpty() ? fallback : IpAddresses.parse(p.hostIp());
            add(out, network, p, host, endpoint);
            if (p.hostIp().isEmpty() && host.isAnyLocalAddress() && host instanceof Inet4Address) {
                add(out, network, p, ANY6, endpoint);
            }
        }
        return out;
    }

    private static void add(List<PortBinding> out, Network network, PublishedPort p, InetAddress host,
                            Endpoint endpoint) {
        boolean v4 = host instanceof Inet4Address;
        var target = v4 ? endpoint.ipv4() : endpoint.ipv6();
        if (target == null) {
            return;
        }
        PortBinding binding = routed(network, target.address())
                ? new PortBinding(p.protocol(), v4 ? ANY4 : ANY6, 0, target.address(), p.sandboxPort())
                : new PortBinding(p.protocol(), host, p.hostPort(), target.address(), p.sandboxPort());
        if (!out.contains(binding)) {
            out.add(binding);
        }
    }

    /** Whether the family of {@code address} is in gateway mode {@code routed} on the network. */
    private static boolean routed(Network network, InetAddress address) {
        return BridgeOptions.of(network).gatewayMode(!(address instanceof Inet4Address)) == GatewayMode.ROUTED;
    }
}
