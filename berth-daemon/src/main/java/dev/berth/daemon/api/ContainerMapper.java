package dev.berth.daemon.api;

import dev.berth.api.format.HumanDuration;
import dev.berth.api.types.ContainerCreateRequest;
import dev.berth.api.types.ContainerInspect;
import dev.berth.api.types.ContainerSummary;
import dev.berth.api.types.EndpointSettings;
import dev.berth.api.types.NetworkResource;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.sandbox.CreateSandbox;
import dev.berth.core.service.sandbox.EndpointRequest;
import dev.berth.core.service.sandbox.ProcessState;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.sandbox.SandboxView;
import dev.berth.core.service.state.Attachment;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sandboxes and endpoints to the Engine API's container JSON, and create/connect requests back. */
final class ContainerMapper {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ContainerMapper() {
    }

    /**
     * The networking part of a create request. {@code Image} is ignored on purpose: Berth runs no
     * images, a sandbox is only the network side of a container.
     */
    static CreateSandbox toCreate(String name, ContainerCreateRequest body) {
        String mode = body.hostConfig() == null ? "" : body.hostConfig().networkMode();
        Map<String, EndpointRequest> endpoints = new LinkedHashMap<>();
        if (body.networkingConfig() != null && body.networkingConfig().endpointsConfig() != null) {
            body.networkingConfig().endpointsConfig().forEach((net, settings) -> endpoints.put(net, toRequest(settings)));
        }
        return new CreateSandbox(name, body.hostname(), mode, endpoints, PortMapper.requests(body.hostConfig()));
    }

    /** {@code EndpointConfig} of connect (or one {@code EndpointsConfig} entry); operational fields are ignored. */
    static EndpointRequest toRequest(EndpointSettings settings) {
        if (settings == null) {
            return EndpointRequest.NONE;
        }
        EndpointSettings.IpamConfig ipam = settings.ipamConfig();
        return new EndpointRequest(ipam == null ? "" : ipam.ipv4Address(), ipam == null ? "" : ipam.ipv6Address(),
                GoValues.strings(settings.aliases()), settings.macAddress(), settings.gwPriority());
    }

    /** The endpoint as container inspect and {@code docker ps} show it under {@code Networks}. */
    static EndpointSettings settings(Attachment a) {
        Endpoint e = a.endpoint();
        Endpoint.Requested r = e.requested();
        EndpointSettings.IpamConfig ipam = r.hasAddress()
                ? new EndpointSettings.IpamConfig(empty(r.ipv4()), empty(r.ipv6()), null) : null;
        return new EndpointSettings(ipam, null, e.aliases().isEmpty() ? null : e.aliases(), e.mac(), null,
                r.gwPriority(), a.network().id().value(), e.id().value(), gateway(a.network(), e.ipv4(), true),
                address(e.ipv4()), length(e.ipv4()), gateway(a.network(), e.ipv6(), false), address(e.ipv6()),
                length(e.ipv6()), dnsNames(a));
    }

    /** A value of a network's {@code Containers}: addresses with prefix length, {@code ""} when absent. */
    static NetworkResource.EndpointResource resource(Attachment a) {
        Endpoint e = a.endpoint();
        return new NetworkResource.EndpointResource(a.sandbox().name(), e.id().value(), e.mac(),
                e.ipv4() == null ? "" : e.ipv4().toString(), e.ipv6() == null ? "" : e.ipv6().toString());
    }

    static ContainerSummary summary(SandboxView view, ProcessState process, Instant now) {
        Sandbox s = view.sandbox();
        return new ContainerSummary(s.id().value(), List.of("/" + s.name()), SandboxService.IMAGE, "",
                String.join(" ", process.command()), s.created().getEpochSecond(), PortMapper.summaryPorts(view),
                Map.of(), process.status().wire(), status(s, process, now), hostConfig(s, process, null),
                new ContainerSummary.Networks(networks(view)), List.of());
    }

    /** {@code docker ps}'s STATUS: {@code Up 5 seconds}, {@code Exited (3) 2 minutes ago}, {@code Created}. */
    static String status(Sandbox s, ProcessState process, Instant now) {
        return switch (process.status()) {
            case CREATED -> "Created";
            case EXITED -> "Exited (" + process.exitCode() + ") "
                    + humanDuration(process.finishedAt(), now) + " ago";
            case RUNNING -> "Up " + humanDuration(process.startedAt() == null ? s.created() : process.startedAt(), now);
        };
    }

    /** {@code ports} {@code null}: left out, as {@code docker ps} shows it. */
    private static ContainerCreateRequest.HostConfig hostConfig(Sandbox s, ProcessState process,
            Map<String, List<ContainerCreateRequest.PortBinding>> ports) {
        return new ContainerCreateRequest.HostConfig(s.networkMode(), process.autoRemove() ? Boolean.TRUE : null, ports);
    }

    static ContainerInspect inspect(SandboxView view, ProcessState process) {
        Sandbox s = view.sandbox();
        String created = NetworkMapper.rfc3339Nano(s.created());
        List<String> cmd = process.command();
        boolean legacy = cmd.isEmpty();
        ContainerInspect.State state = new ContainerInspect.State(process.status().wire(), process.isRunning(), false, false,
                false, false, (int) process.pid(), process.exitCode(), "",
                legacy ? created : time(process.startedAt()), time(process.finishedAt()));
        ContainerInspect.Config config = new ContainerInspect.Config(s.hostname(), "", "", false, false, false, false,
                false, false, null, cmd, SandboxService.IMAGE, null, "", null, null, Map.of());
        return new ContainerInspect(s.id().value(), created, legacy ? "" : cmd.getFirst(),
                legacy ? List.of() : cmd.subList(1, cmd.size()), state, SandboxService.IMAGE, "", "", "", "",
                "/" + s.name(), 0, "", "linux", "", "", "", null,
                hostConfig(s, process, PortMapper.portBindings(s.ports())), List.of(), config, networkSettings(view));
    }

    private static String time(Instant instant) {
        return instant == null ? ZERO_TIME : NetworkMapper.rfc3339Nano(instant);
    }

    private static ContainerInspect.NetworkSettings networkSettings(SandboxView view) {
        Map<String, EndpointSettings> networks = networks(view);
        EndpointSettings bridge = networks.getOrDefault(PredefinedNetworks.BRIDGE,
                new EndpointSettings(null, null, null, "", null, 0, "", "", "", "", 0, "", "", 0, null));
        return new ContainerInspect.NetworkSettings("", view.sandbox().id().value(), false, "", 0,
                PortMapper.networkPorts(view),
                view.sandbox().netnsPath(), null, null, bridge.endpointId(), bridge.gateway(),
                bridge.globalIpv6Address(), bridge.globalIpv6PrefixLen(), bridge.ipAddress(), bridge.ipPrefixLen(),
                bridge.ipv6Gateway(), bridge.macAddress(), networks);
    }

    private static Map<String, EndpointSettings> networks(SandboxView view) {
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        view.attachments().forEach(a -> out.put(a.network().name(), settings(a)));
        return out;
    }

    /** Moby's DNS names of an endpoint on a user-defined network: name, aliases, short id, hostname. */
    private static List<String> dnsNames(Attachment a) {
        if (a.network().isPredefined()) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        names.add(a.sandbox().name());
        names.addAll(a.endpoint().aliases());
        names.add(a.sandbox().id().shortId());
        names.add(a.sandbox().hostname());
        return List.copyOf(names);
    }

    private static String gateway(Network network, IpPrefix address, boolean v4) {
        if (address == null) {
            return "";
        }
        return network.ipam().pools().stream().filter(p -> p.isIpv4() == v4).findFirst()
                .flatMap(IpamPool::router).map(IpAddresses::format).orElse("");
    }

    private static String address(IpPrefix prefix) {
        return prefix == null ? "" : IpAddresses.format(prefix.address());
    }

    private static int length(IpPrefix prefix) {
        return prefix == null ? 0 : prefix.length();
    }

    private static String empty(String text) {
        return text.isEmpty() ? null : text;
    }

    private static String humanDuration(Instant since, Instant now) {
        return HumanDuration.of(Duration.between(since, now));
    }
}
