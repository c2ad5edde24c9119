package dev.berth.core.service.state;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PortBinding;
import dev.berth.core.model.BridgeOptions;
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
 * Which ports a sandbox publishes and on which endpoint: the one that supplies its IPv4 default
 * route (else its IPv6 one), as {@link GatewayChoice} picks it. Pure: the firewall's
 * {@code rebuild} input at start-up and the sandbox service's {@code PortPublisher} both use it.
 */
public final class PublishedPorts {
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
            of(s, joined).ifPresent(out::add);
        }
        return out;
    }

    /** The ports a sandbox publishes through the endpoint chosen now, if any. */
    public static Optional<SandboxPorts> of(Sandbox sandbox, List<Attachment> attachments) {
        if (sandbox.ports().isEmpty()) {
            return Optional.empty();
        }
        GatewayChoice choice = GatewayChoice.of(attachments);
        EndpointId id = choice.ipv4() != null ? choice.ipv4() : choice.ipv6();
        return attachments.stream().filter(a -> a.endpoint().id().equals(id)).findFirst()
                .map(a -> new SandboxPorts(id.value(), a.network(), bindings(a.network(), a.endpoint(),
                        sandbox.ports())));
    }

    /**
     * The bindings of ports on one endpoint. An empty host IP means the network's
     * {@code host_binding_ipv4} (default {@code 0.0.0.0}); {@code 0.0.0.0} that way also binds
     * {@code ::} when the endpoint has IPv6. A host address of a family the endpoint lacks binds
     * nothing (Docker's userland 6to4 proxy is not done).
     */
    public static List<PortBinding> bindings(Network network, Endpoint endpoint, List<PublishedPort> ports) {
        List<PortBinding> out = new ArrayList<>();
        InetAddress fallback = BridgeOptions.of(network).hostBindingIpv4();
        for (PublishedPort p : ports) {
            InetAddress host = p.hostIp().isEmpty() ? fallback : IpAddresses.parse(p.hostIp());
            add(out, p, host, endpoint);
            if (p.hostIp().isEmpty() && host.isAnyLocalAddress() && host instanceof Inet4Address) {
                add(out, p, ANY6, endpoint);
            }
        }
        return out;
    }

    private static void add(List<PortBinding> out, PublishedPort p, InetAddress host, Endpoint endpoint) {
        boolean v4 = host instanceof Inet4Address;
        var target = v4 ? endpoint.ipv4() : endpoint.ipv6();
        if (target != null) {
            out.add(new PortBinding(p.protocol(), host, p.hostPort(), target.address(), p.sandboxPort()));
        }
    }

}
