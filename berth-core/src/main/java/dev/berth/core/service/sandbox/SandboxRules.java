package dev.berth.core.service.sandbox;

import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.state.Attachment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Docker's rules for which networks a sandbox may join, with moby's texts: network modes, the
 * networks of a create request, and the host/none/already-connected conflicts of a connect.
 * Pure checks over the current snapshot; nothing is taken or changed.
 */
final class SandboxRules {
    private final NetworkService networks;
    private final EndpointPlanner planner;
    private final Function<Sandbox, List<Attachment>> attachmentsOf;

    SandboxRules(NetworkService networks, EndpointPlanner planner, Function<Sandbox, List<Attachment>> attachmentsOf) {
        this.networks = networks;
        this.planner = planner;
        this.attachmentsOf = attachmentsOf;
    }

    /** One network to join at creation, with the settings for it, before they are checked. */
    private record Planned(Network network, EndpointRequest request) {
    }

    static String networkMode(String mode) {
        if (mode.isEmpty() || mode.equals(PredefinedNetworks.DEFAULT)) {
            return Sandbox.MODE_BRIDGE;
        }
        if (mode.startsWith("container:")) {
            throw new InvalidParameterException("network mode " + mode + " is not supported by Berth");
        }
        return mode;
    }

    /** Resolves and checks every network of a create request before anything is made. */
    List<EndpointPlan> plan(String mode, CreateSandbox request) {
        Network primary = networks.inspect(mode);
        Map<String, EndpointRequest> settings = new LinkedHashMap<>(request.endpoints());
        EndpointRequest first = settings.remove(mode);
        if (first == null) {
            first = settings.remove(primary.name());
        }
        if (first == null) {
            first = settings.remove(PredefinedNetworks.DEFAULT);
        }
        List<Planned> out = new ArrayList<>();
        out.add(new Planned(primary, first == null ? EndpointRequest.NONE : first));
        for (Map.Entry<String, EndpointRequest> e : settings.entrySet()) {
            Network other = networks.inspect(e.getKey());
            if (out.stream().noneMatch(p -> p.network().id().equals(other.id()))) {
                out.add(new Planned(other, e.getValue()));
            }
        }
        boolean host = primary.driver().equals(PredefinedNetworks.DRIVER_HOST);
        for (Planned p : out) {
            boolean isHost = p.network().driver().equals(PredefinedNetworks.DRIVER_HOST);
            if (out.size() > 1 && (host || isHost)) {
                throw new InvalidParameterException(SHARED);
            }
            if (out.size() > 1 && p.network().driver().equals(PredefinedNetworks.DRIVER_NULL)) {
                throw new InvalidParameterException(NONE_MULTIPLE);
            }
        }
        List<EndpointPlan> plans = new ArrayList<>();
        for (Planned p : out) {
            plans.add(planner.plan(p.network(), p.request()));
        }
        return plans;
    }

    static final String SHARED = "container sharing network namespace with another container or host cannot be"
            + " connected to any other network";
    static final String HOST_ONLY = "cannot connect container to host network - container must be created in host"
            + " network mode";
    static final String NONE_MULTIPLE = "container cannot be connected to multiple networks with one of the networks"
            + " in private (none) mode";

    void checkConnectable(Network network, Sandbox sandbox) {
        if (attachmentsOf.apply(sandbox).stream().anyMatch(a -> a.network().id().equals(network.id()))) {
            throw new ForbiddenException("endpoint with name " + sandbox.name()
                    + " already exists in network " + network.name());
        }
        if (sandbox.isHostMode()) {
            throw new InvalidParameterException(SHARED);
        }
        if (network.driver().equals(PredefinedNetworks.DRIVER_HOST)) {
            throw new InvalidParameterException(HOST_ONLY);
        }
        boolean toNone = network.driver().equals(PredefinedNetworks.DRIVER_NULL);
        boolean onNone = attachmentsOf.apply(sandbox).stream()
                .anyMatch(a -> a.network().driver().equals(PredefinedNetworks.DRIVER_NULL));
        if (onNone || (toNone && !attachmentsOf.apply(sandbox).isEmpty())) {
            throw new InvalidParameterException(NONE_MULTIPLE);
        }
    }
}
