package dev.berth.core.service.event;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One change the services made, as its subscribers (the events endpoint, the DNS name table, a
 * running process's {@code hosts} and {@code resolv.conf}) receive it: typed, so a subscriber
 * switches over the records, never over event strings. {@link ChangeEvents} turns each into the
 * {@code /events} record Docker clients read.
 */
public sealed interface Change {
    /** A network was created ({@code network create}). */
    record NetworkCreated(Network network) implements Change {
    }

    /** A network was removed ({@code network destroy}; config-only networks emit none, like moby). */
    record NetworkRemoved(Network network) implements Change {
    }

    /** A prune finished ({@code network prune}, after one {@link NetworkRemoved} per network). */
    record NetworksPruned() implements Change {
    }

    /** A container prune finished ({@code container prune}, after one {@link SandboxRemoved} per container). */
    record ContainersPruned() implements Change {
    }

    /**
     * A reconcile pass repaired drift ({@code network reconcile}).
     *
     * @param actorId  the network id, {@code ""} for the firewall table
     * @param network  the network as it is now, if it still exists
     * @param repaired what differed, {@code "; "}-separated
     * @param failed   what could not be repaired, {@code "; "}-separated; {@code ""} when everything was
     */
    record NetworkReconciled(String actorId, Optional<Network> network, String repaired, String failed)
            implements Change {
        public NetworkReconciled {
            Objects.requireNonNull(actorId, "actorId");
            Objects.requireNonNull(network, "network");
        }
    }

    /**
     * A sandbox was created ({@code container create}), before its endpoints are reported.
     *
     * @param image the image as the user named it, the event's {@code image}; {@link ChangeEvents#IMAGE} for none
     */
    record SandboxCreated(Sandbox sandbox, String image) implements Change {
        public SandboxCreated(Sandbox sandbox) {
            this(sandbox, ChangeEvents.IMAGE);
        }
    }

    /** A sandbox was removed ({@code container destroy}), after its endpoints were reported detached. */
    record SandboxRemoved(Sandbox sandbox, String image) implements Change {
        public SandboxRemoved(Sandbox sandbox) {
            this(sandbox, ChangeEvents.IMAGE);
        }
    }

    /**
     * A sandbox got another name ({@code container rename}); its endpoints stay, their DNS names move.
     *
     * @param before  the sandbox with its old name
     * @param sandbox the sandbox with its new name
     */
    record SandboxRenamed(Sandbox before, Sandbox sandbox, String image) implements Change {
        public SandboxRenamed(Sandbox before, Sandbox sandbox) {
            this(before, sandbox, ChangeEvents.IMAGE);
        }
    }

    /** An endpoint joined a sandbox to a network ({@code network connect}). */
    record EndpointAttached(Network network, Sandbox sandbox, Endpoint endpoint) implements Change {
    }

    /**
     * An endpoint got other addresses in place: a reload changed its network's addressing (IPv6 on
     * or off, another {@code fixed-cidr-v6}). No {@code /events} event, as Docker has none; the DNS
     * table and a running process's {@code /etc/hosts} follow it.
     *
     * @param network  the network as it is now
     * @param before   the endpoint as it was
     * @param endpoint the endpoint as it is now (same id, interface and MAC)
     */
    record EndpointReaddressed(Network network, Sandbox sandbox, Endpoint before, Endpoint endpoint)
            implements Change {
    }

    /**
     * The daemon applied a reloaded configuration ({@code daemon reload}, as dockerd emits it).
     *
     * @param engineId   the engine's id, the event's actor
     * @param attributes the reloadable options with the values now in force, and {@code name}
     */
    record DaemonReloaded(String engineId, Map<String, String> attributes) implements Change {
        public DaemonReloaded {
            Objects.requireNonNull(engineId, "engineId");
            attributes = Map.copyOf(attributes);
        }
    }

    /** An endpoint left ({@code network disconnect}); the sandbox may be on its way out. */
    record EndpointDetached(Network network, Sandbox sandbox, Endpoint endpoint) implements Change {
    }

    /** A sandbox's process started ({@code container start}). */
    record ProcessStarted(Sandbox sandbox, String image) implements Change {
        public ProcessStarted(Sandbox sandbox) {
            this(sandbox, ChangeEvents.IMAGE);
        }
    }

    /** A sandbox's process exited ({@code container die} with {@code exitCode}). */
    record ProcessDied(Sandbox sandbox, int exitCode, String image) implements Change {
        public ProcessDied(Sandbox sandbox, int exitCode) {
            this(sandbox, exitCode, ChangeEvents.IMAGE);
        }
    }
}
