package dev.berth.daemon.api;

import dev.berth.api.types.ContainerCreateRequest;
import dev.berth.api.types.ContainerSummary;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.PortBinding;
import dev.berth.core.model.PublishedPort;
import dev.berth.core.service.sandbox.PortRequest;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.sandbox.SandboxView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Published ports between the Engine API's shapes and the model. */
final class PortMapper {
    private PortMapper() {
    }

    /** {@code HostConfig.PortBindings} flattened: one request per host binding, a null list meaning one default. */
    static List<PortRequest> requests(ContainerCreateRequest.HostConfig hostConfig) {
        List<PortRequest> out = new ArrayList<>();
        if (hostConfig == null || hostConfig.portBindings() == null) {
            return out;
        }
        hostConfig.portBindings().forEach((port, bindings) -> {
            if (bindings == null || bindings.isEmpty()) {
                out.add(new PortRequest(port, "", ""));
            } else {
                bindings.forEach(b -> out.add(b == null ? new PortRequest(port, "", "")
                        : new PortRequest(port, b.hostIp(), b.hostPort())));
            }
        });
        return out;
    }

    /** {@code HostConfig.PortBindings} of inspect: what was asked, with the host port chosen. */
    static Map<String, List<ContainerCreateRequest.PortBinding>> portBindings(List<PublishedPort> ports) {
        Map<String, List<ContainerCreateRequest.PortBinding>> out = new LinkedHashMap<>();
        for (PublishedPort p : ports) {
            out.computeIfAbsent(p.key(), k -> new ArrayList<>())
                    .add(new ContainerCreateRequest.PortBinding(p.hostIp(), Integer.toString(p.hostPort())));
        }
        return out;
    }

    /**
     * {@code NetworkSettings.Ports}: per port the host bindings in effect, null when none; a
     * binding of a routed family has no host port, shown as {@code ""} as moby does.
     */
    static Map<String, Object> networkPorts(SandboxView view) {
        Map<String, List<ContainerCreateRequest.PortBinding>> grouped = new LinkedHashMap<>();
        view.sandbox().ports().forEach(p -> grouped.putIfAbsent(p.key(), new ArrayList<>()));
        for (PortBinding b : SandboxService.bindings(view)) {
            var entry = new ContainerCreateRequest.PortBinding(IpAddresses.format(b.hostIp()),
                    b.hostPort() == 0 ? "" : Integer.toString(b.hostPort()));
            var list = grouped.computeIfAbsent(b.sandboxPort() + "/" + b.protocol(), k -> new ArrayList<>());
            if (!list.contains(entry)) {
                list.add(entry);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        grouped.forEach((k, v) -> out.put(k, v.isEmpty() ? null : v));
        return out;
    }

    /** {@code Ports} of {@code docker ps}: one entry per host binding, else one unpublished entry per port. */
    static List<Object> summaryPorts(SandboxView view) {
        List<ContainerSummary.Port> out = new ArrayList<>();
        List<PortBinding> bindings = SandboxService.bindings(view);
        bindings.forEach(b -> out.add(new ContainerSummary.Port(IpAddresses.format(b.hostIp()), b.sandboxPort(),
                b.hostPort(), b.protocol())));
        for (PublishedPort p : view.sandbox().ports()) {
            boolean bound = bindings.stream().anyMatch(b -> b.sandboxPort() == p.sandboxPort()
                    && b.protocol().equals(p.protocol()));
            ContainerSummary.Port bare = new ContainerSummary.Port("", p.sandboxPort(), 0, p.protocol());
            if (!bound && !out.contains(bare)) {
                out.add(bare);
            }
        }
        out.sort(Comparator.comparingInt(ContainerSummary.Port::privatePort).thenComparing(ContainerSummary.Port::type)
                .thenComparing(ContainerSummary.Port::ip));
        return List.copyOf(out);
    }
}
