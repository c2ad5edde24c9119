package dev.berth.daemon.api;

import dev.berth.api.format.HumanDuration;
import dev.berth.api.types.ContainerCreateRequest;
import dev.berth.api.types.ContainerInspect;
import dev.berth.api.types.ContainerSummary;
import dev.berth.api.types.EndpointSettings;
import dev.berth.api.types.NetworkResource;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.sandbox.ContainerRequest;
import dev.berth.core.service.sandbox.CreateSandbox;
import dev.berth.core.service.sandbox.EndpointRequest;
import dev.berth.core.service.sandbox.ProcessState;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.sandbox.SandboxView;
import dev.berth.core.service.state.Attachment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Sandboxes and endpoints to the Engine API's container JSON, and create/connect requests back. */
final class ContainerMapper {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ContainerMapper() {
    }

    /** The networking part of a create request. */
    static CreateSandbox toCreate(String name, ContainerCreateRequest body) {
        String mode = body.hostConfig() == null ? "" : body.hostConfig().networkMode();
        Map<String, EndpointRequest> endpoints = new LinkedHashMap<>();
        if (body.networkingConfig() != null && body.networkingConfig().endpointsConfig() != null) {
            body.networkingConfig().endpointsConfig().forEach((net, settings) -> endpoints.put(net, toRequest(settings)));
        }
        return new CreateSandbox(name, body.hostname(), mode, endpoints, PortMapper.requests(body.hostConfig()));
    }

    /**
     * The process part of a create request, as given ({@code ContainerPlanner} checks it). An
     * absent or empty {@code Image} is an image-less sandbox.
     */
    static ContainerRequest toContainer(ContainerCreateRequest body) {
        ContainerCreateRequest.HostConfig h = body.hostConfig();
        ContainerRequest.Host host = h == null ? ContainerRequest.Host.NONE : new ContainerRequest.Host(
                GoValues.strings(h.binds()), GoValues.strings(h.tmpfs()), mounts(h.mounts()), isTrue(h.readonlyRootfs()),
                orZero(h.memory()), orZero(h.nanoCpus()), orZero(h.cpuQuota()), orZero(h.cpuPeriod()), h.pidsLimit(),
                GoValues.strings(h.capAdd()), GoValues.strings(h.capDrop()), isTrue(h.privileged()),
                h.restartPolicy() == null ? "" : h.restartPolicy().name(),
                h.restartPolicy() == null || h.restartPolicy().maximumRetryCount() == null ? 0
                        : h.restartPolicy().maximumRetryCount(),
                isTrue(h.autoRemove()), h.logConfig() == null ? "" : h.logConfig().type(),
                h.logConfig() == null ? Map.of() : GoValues.strings(h.logConfig().config()),
                h.consoleSize() == null ? null : h.consoleSize().stream().map(v -> v == null ? 0 : v).toList());
        return new ContainerRequest(body.image(), GoValues.strings(body.cmd()), GoValues.strings(body.entrypoint()),
                GoValues.strings(body.env()), body.workingDir(), body.user(), body.domainname(), isTrue(body.tty()),
                isTrue(body.openStdin()), isTrue(body.stdinOnce()), isTrue(body.attachStdin()),
                isTrue(body.attachStdout()), isTrue(body.attachStderr()), GoValues.strings(body.labels()),
                body.stopSignal(), body.stopTimeout(),
                body.exposedPorts() == null ? List.of() : List.copyOf(body.exposedPorts().keySet()), host);
    }

    private static List<ContainerRequest.MountRequest> mounts(List<ContainerCreateRequest.Mount> mounts) {
        if (mounts == null) {
            return List.of();
        }
        List<ContainerRequest.MountRequest> out = new ArrayList<>();
        for (ContainerCreateRequest.Mount m : mounts) {
            if (m == null) {
                continue;
            }
            ContainerCreateRequest.TmpfsOptions t = m.tmpfsOptions();
            out.add(new ContainerRequest.MountRequest(m.type(), m.source(), m.target(), isTrue(m.readOnly()),
                    m.bindOptions() == null ? "" : m.bindOptions().propagation(),
                    t == null ? 0 : orZero(t.sizeBytes()), t == null || t.mode() == null ? 0 : t.mode()));
        }
        return out;
    }

    private static boolean isTrue(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    /** {@code EndpointConfig} of connect (or one {@code EndpointsConfig} entry); operational fields are ignored. */
    static EndpointRequest toRequest(EndpointSettings settings) {
        if (settings == null) {
            return EndpointRequest.NONE;
        }
        EndpointSettings.IpamConfig ipam = settings.ipamConfig();
        return new EndpointRequest(ipam == null ? "" : ipam.ipv4Address(), ipam == null ? "" : ipam.ipv6Address(),
                GoValues.strings(settings.aliases()), settings.macAddress(), settings.gwPriority(),
                GoValues.strings(settings.links()), ipam == null ? List.of() : GoValues.strings(ipam.linkLocalIps()),
                GoValues.strings(settings.driverOpts()));
    }

    /** The endpoint as container inspect and {@code docker ps} show it under {@code Networks}. */
    static EndpointSettings settings(Attachment a) {
        return settings(a, false);
    }

    /**
     * The endpoint under {@code Networks}; with {@code legacyAliases} (inspect at API < 1.45), as moby
     * shows it to older clients: on a user-defined network, {@code Aliases} also holds the short id and
     * the hostname (moby 25 moved them to {@code DNSNames}). docker-compose 1.29 looks for the short id
     * there and, missing it, disconnects and connects each container again at {@code up}.
     */
    static EndpointSettings settings(Attachment a, boolean legacyAliases) {
        Endpoint e = a.endpoint();
        List<String> aliases = e.aliases();
        if (legacyAliases && !a.network().isPredefined()) {
            Set<String> names = new LinkedHashSet<>(aliases);
            names.add(a.sandbox().id().shortId());
            names.add(a.sandbox().hostname());
            aliases = List.copyOf(names);
        }
        Endpoint.Requested r = e.requested();
        EndpointSettings.IpamConfig ipam = r.hasAddress() || !r.linkLocalIps().isEmpty()
                ? new EndpointSettings.IpamConfig(empty(r.ipv4()), empty(r.ipv6()),
                        r.linkLocalIps().isEmpty() ? null : r.linkLocalIps()) : null;
        return new EndpointSettings(ipam, r.links().isEmpty() ? null : r.links(),
                aliases.isEmpty() ? null : aliases, e.mac(), r.driverOpts().isEmpty() ? null : r.driverOpts(),
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
        ContainerConfig c = process.container();
        return new ContainerSummary(s.id().value(), List.of("/" + s.name()), c == null ? SandboxService.IMAGE : c.image(),
                c == null ? "" : c.imageId(), command(process.command()), s.created().getEpochSecond(),
                PortMapper.summaryPorts(view), c == null ? Map.of() : new TreeMap<>(c.labels()),
                process.status().wire(), status(s, process, now), new ContainerCreateRequest.HostConfig(s.networkMode()),
                new ContainerSummary.Networks(networks(view, false)), mountPoints(c));
    }

    /** moby's {@code Command} of {@code docker ps}: path and arguments, those with a space in single quotes. */
    static String command(List<String> argv) {
        if (argv.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(argv.getFirst());
        for (String arg : argv.subList(1, argv.size())) {
            out.append(' ').append(arg.contains(" ") ? "'" + arg + "'" : arg);
        }
        return out.toString();
    }

    /**
     * {@code docker ps}'s STATUS: {@code Up 5 seconds}, {@code Exited (3) 2 minutes ago},
     * {@code Restarting (1) 1 second ago}, {@code Removal In Progress}, {@code Created}.
     */
    static String status(Sandbox s, ProcessState process, Instant now) {
        return switch (process.status()) {
            case CREATED -> "Created";
            case EXITED -> "Exited (" + process.exitCode() + ") " + ago(process.finishedAt(), now);
            case RESTARTING -> "Restarting (" + process.exitCode() + ") " + ago(process.finishedAt(), now);
            case REMOVING -> "Removal In Progress";
            case RUNNING -> "Up " + humanDuration(process.startedAt() == null ? s.created() : process.startedAt(), now);
        };
    }

    private static String ago(Instant then, Instant now) {
        return then == null ? "" : humanDuration(then, now) + " ago";
    }

    /** Inspect's {@code HostConfig}: the network mode and ports, and a container's settings. */
    private static ContainerCreateRequest.HostConfig hostConfig(Sandbox s, ProcessState process) {
        var ports = PortMapper.portBindings(s.ports());
        ContainerConfig c = process.container();
        if (c == null) {
            return new ContainerCreateRequest.HostConfig(s.networkMode(), process.autoRemove() ? Boolean.TRUE : null,
                    ports);
        }
        ContainerConfig.Shown shown = c.shown();
        int binds = shown.binds().size();
        List<ContainerConfig.Mount> apiMounts = c.mounts().subList(Math.min(binds, c.mounts().size()),
                Math.max(binds, c.mounts().size() - shown.tmpfs().size()));
        List<ContainerCreateRequest.Mount> mounts = apiMounts.stream().map(ContainerMapper::apiMount).toList();
        return new ContainerCreateRequest.HostConfig(shown.binds().isEmpty() ? null : shown.binds(),
                new ContainerCreateRequest.LogConfig(shown.logType(), new TreeMap<>(shown.logConfig())),
                s.networkMode(), ports,
                new ContainerCreateRequest.RestartPolicy(c.restart().name(), c.restart().maximumRetryCount()),
                process.autoRemove(), shown.consoleSize(), c.capAdd().isEmpty() ? null : c.capAdd(),
                c.capDrop().isEmpty() ? null : c.capDrop(), c.privileged(), c.readOnlyRootfs(),
                shown.tmpfs().isEmpty() ? null : shown.tmpfs(), c.resources().memoryBytes(), c.resources().nanoCpus(),
                c.resources().cpuPeriod(), c.resources().cpuQuota(),
                c.resources().pidsLimit() <= 0 ? null : c.resources().pidsLimit(), mounts.isEmpty() ? null : mounts);
    }

    private static ContainerCreateRequest.Mount apiMount(ContainerConfig.Mount m) {
        if (m.type().equals(ContainerConfig.Mount.BIND)) {
            return new ContainerCreateRequest.Mount(m.type(), m.source(), m.target(), m.readOnly() ? Boolean.TRUE : null,
                    m.options().isEmpty() ? null : new ContainerCreateRequest.BindOptions(m.options().getFirst()), null);
        }
        Long size = null;
        Integer mode = null;
        for (String o : m.options()) {
            if (o.startsWith("size=")) {
                size = Long.parseLong(o.substring(5));
            } else if (o.startsWith("mode=")) {
                mode = Integer.parseInt(o.substring(5), 8);
            }
        }
        return new ContainerCreateRequest.Mount(m.type(), "", m.target(), m.readOnly() ? Boolean.TRUE : null, null,
                size == null && mode == null ? null : new ContainerCreateRequest.TmpfsOptions(size, mode));
    }

    /**
     * Inspect's and {@code ps}'s {@code Mounts}: the binds and {@code Mounts} entries (moby lists no
     * {@code --tmpfs} ones); a bind's mode is what {@code -v} gave, its propagation {@code rprivate}
     * unless set.
     */
    static List<ContainerInspect.MountPoint> mountPoints(ContainerConfig c) {
        if (c == null) {
            return List.of();
        }
        List<ContainerInspect.MountPoint> out = new ArrayList<>();
        List<String> binds = c.shown().binds();
        int listed = c.mounts().size() - c.shown().tmpfs().size();
        for (int i = 0; i < listed && i < c.mounts().size(); i++) {
            ContainerConfig.Mount m = c.mounts().get(i);
            boolean bind = m.type().equals(ContainerConfig.Mount.BIND);
            String mode = i < binds.size() ? bindMode(binds.get(i)) : "";
            String propagation = bind ? (m.options().isEmpty() ? "rprivate" : m.options().getFirst()) : "";
            out.add(new ContainerInspect.MountPoint(m.type(), m.source(), m.target(), mode, !m.readOnly(), propagation));
        }
        return out;
    }

    private static String bindMode(String spec) {
        String[] parts = spec.split(":");
        return parts.length == 3 ? parts[2] : "";
    }

    static ContainerInspect inspect(SandboxView view, ProcessState process, String logPath, ApiVersion version) {
        Sandbox s = view.sandbox();
        String created = NetworkMapper.rfc3339Nano(s.created());
        List<String> cmd = process.command();
        boolean legacy = cmd.isEmpty();
        ContainerConfig c = process.container();
        boolean restarting = process.status() == ProcessState.Status.RESTARTING;
        ContainerInspect.State state = new ContainerInspect.State(process.status().wire(),
                process.isRunning() || restarting, false, restarting, false, false, (int) process.pid(),
                process.exitCode(), process.error(), legacy ? created : time(process.startedAt()),
                time(process.finishedAt()));
        ContainerInspect.Config config = c == null
                ? new ContainerInspect.Config(s.hostname(), "", "", false, false, false, null, false, false, false, null,
                        cmd, SandboxService.IMAGE, null, "", null, null, Map.of(), null, null)
                : config(s, c);
        return new ContainerInspect(s.id().value(), created, legacy ? "" : cmd.getFirst(),
                legacy ? List.of() : cmd.subList(1, cmd.size()), state, c == null ? SandboxService.IMAGE : c.imageId(),
                "", "", "", logPath, "/" + s.name(), process.restartCount(), c == null ? "" : "overlay2", "linux", "",
                "", "", null, hostConfig(s, process), mountPoints(c), config,
                networkSettings(view, !version.atLeast("1.45")));
    }

    private static ContainerInspect.Config config(Sandbox s, ContainerConfig c) {
        ContainerConfig.Shown shown = c.shown();
        Map<String, Object> exposed = new TreeMap<>();
        shown.exposedPorts().forEach(p -> exposed.put(p, Map.of()));
        return new ContainerInspect.Config(s.hostname(), shown.domainname(), c.user(), shown.attachStdin(),
                shown.attachStdout(), shown.attachStderr(), exposed, c.tty(), c.openStdin(), c.stdinOnce(), c.env(),
                c.cmd().isEmpty() ? null : c.cmd(), c.image(), null, c.workingDir(),
                c.entrypoint().isEmpty() ? null : c.entrypoint(), null, new TreeMap<>(c.labels()),
                c.stopSignal().equals("SIGTERM") ? null : c.stopSignal(), c.stopTimeout());
    }

    private static String time(Instant instant) {
        return instant == null ? ZERO_TIME : NetworkMapper.rfc3339Nano(instant);
    }

    private static ContainerInspect.NetworkSettings networkSettings(SandboxView view, boolean legacyAliases) {
        Map<String, EndpointSettings> networks = networks(view, legacyAliases);
        EndpointSettings bridge = networks.getOrDefault(PredefinedNetworks.BRIDGE,
                new EndpointSettings(null, null, null, "", null, 0, "", "", "", "", 0, "", "", 0, null));
        return new ContainerInspect.NetworkSettings("", view.sandbox().id().value(), false, "", 0,
                PortMapper.networkPorts(view),
                view.sandbox().netnsPath(), null, null, bridge.endpointId(), bridge.gateway(),
                bridge.globalIpv6Address(), bridge.globalIpv6PrefixLen(), bridge.ipAddress(), bridge.ipPrefixLen(),
                bridge.ipv6Gateway(), bridge.macAddress(), networks);
    }

    private static Map<String, EndpointSettings> networks(SandboxView view, boolean legacyAliases) {
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        view.attachments().forEach(a -> out.put(a.network().name(), settings(a, legacyAliases)));
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
