package dev.berth.core.service;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PortBinding;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.PublishedPort;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.Firewall;
import dev.berth.core.spi.Firewall.SandboxPorts;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps each sandbox's published ports in the firewall, on one endpoint: the one that supplies
 * its IPv4 default route (else its IPv6 one), as {@link GatewayChoice} picks it. One endpoint
 * only, because a host address and port can lead to one place; and like Docker, ports follow the
 * default gateway, so an internal network never publishes. The firewall key is the endpoint id.
 * Callers hold the network write lock.
 */
final class PortPublisher {
    private static final System.Logger LOG = System.getLogger(PortPublisher.class.getName());
    private static final InetAddress ANY6 = IpAddresses.parse("::");

    private final Firewall firewall;
    private final Function<Sandbox, List<Attachment>> attachmentsOf;
    private final Map<SandboxId, EndpointId> publishing = new HashMap<>();

    PortPublisher(Firewall firewall, Function<Sandbox, List<Attachment>> attachmentsOf) {
        this.firewall = firewall;
        this.attachmentsOf = attachmentsOf;
    }

    /** What every sandbox publishes now: the firewall's {@code rebuild} input at start-up. */
    static List<SandboxPorts> published(Attachments attachments, Function<NetworkId, Optional<Network>> networks) {
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
    static Optional<SandboxPorts> of(Sandbox sandbox, List<Attachment> attachments) {
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
    static List<PortBinding> bindings(Network network, Endpoint endpoint, List<PublishedPort> ports) {
        List<PortBinding> out = new ArrayList<>();
        String fallback = network.options().getOrDefault(PredefinedNetworks.OPT_HOST_BINDING_IPV4, "0.0.0.0");
        for (PublishedPort p : ports) {
            InetAddress host = IpAddresses.parse(p.hostIp().isEmpty() ? fallback : p.hostIp());
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

    /** Forgets what was published (start-up, after the firewall's rebuild). */
    void reset() {
        publishing.clear();
    }

    /** Publishes the sandbox's ports on the endpoint chosen now, withdrawing them from the one before. */
    void update(Sandbox sandbox) {
        Optional<SandboxPorts> now = of(sandbox, attachmentsOf.apply(sandbox));
        EndpointId was = publishing.get(sandbox.id());
        EndpointId is = now.map(p -> new EndpointId(p.key())).orElse(null);
        if (was != null && !was.equals(is)) {
            firewall.unpublish(was.value());
            publishing.remove(sandbox.id());
        }
        if (now.isPresent()) {
            firewall.publish(now.get());
            publishing.put(sandbox.id(), is);
        }
    }

    void updateQuietly(Sandbox sandbox) {
        try {
            update(sandbox);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "publish ports of " + sandbox.name() + ": " + e.getMessage(), e);
        }
    }

    /** After a failed connect: the ports as the remaining endpoints want them. */
    void restore(Sandbox sandbox, RuntimeException failure) {
        try {
            update(sandbox);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Withdraws whatever the sandbox still publishes (it is being removed). */
    void forget(Sandbox sandbox) {
        EndpointId was = publishing.remove(sandbox.id());
        if (was != null) {
            firewall.unpublish(was.value());
        }
    }
}
