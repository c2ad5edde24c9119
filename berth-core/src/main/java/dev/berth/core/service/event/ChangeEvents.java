package dev.berth.core.service.event;

import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The {@code /events} record of each {@link Change}: type, action, actor and attributes as moby words them. */
public final class ChangeEvents {
    /** What Berth reports as the image of a sandbox made without one. */
    public static final String IMAGE = "berth/sandbox";

    private ChangeEvents() {
    }

    /** The event of one change at {@code timeNano}; empty for a change Docker reports no event for. */
    public static Optional<Event> of(Change change, long timeNano) {
        return Optional.ofNullable(switch (change) {
            case Change.NetworkCreated c -> network(Event.Action.CREATE, c.network(), Map.of(), timeNano);
            case Change.NetworkRemoved c -> network(Event.Action.DESTROY, c.network(), Map.of(), timeNano);
            case Change.NetworksPruned c ->
                    new Event(Event.Type.NETWORK, Event.Action.PRUNE, "", Map.of("reclaimed", "0"), timeNano);
            case Change.ContainersPruned c ->
                    new Event(Event.Type.CONTAINER, Event.Action.PRUNE, "", Map.of("reclaimed", "0"), timeNano);
            case Change.NetworkReconciled c -> reconciled(c, timeNano);
            case Change.EndpointAttached c -> network(Event.Action.CONNECT, c.network(),
                    Map.of("container", c.sandbox().id().value()), timeNano);
            case Change.EndpointDetached c -> network(Event.Action.DISCONNECT, c.network(),
                    Map.of("container", c.sandbox().id().value()), timeNano);
            case Change.SandboxCreated c -> container(Event.Action.CREATE, c.sandbox(), c.image(), Map.of(), timeNano);
            case Change.SandboxRenamed c -> container(Event.Action.RENAME, c.sandbox(), c.image(),
                    Map.of("oldName", "/" + c.before().name()), timeNano);
            case Change.SandboxRemoved c -> container(Event.Action.DESTROY, c.sandbox(), c.image(), Map.of(), timeNano);
            case Change.ProcessStarted c -> container(Event.Action.START, c.sandbox(), c.image(), Map.of(), timeNano);
            case Change.ProcessDied c -> container(Event.Action.DIE, c.sandbox(), c.image(),
                    Map.of("exitCode", Integer.toString(c.exitCode())), timeNano);
            case Change.EndpointReaddressed c -> null;
            case Change.DaemonReloaded c ->
                    new Event(Event.Type.DAEMON, Event.Action.RELOAD, c.engineId(), c.attributes(), timeNano);
        });
    }

    private static Event network(Event.Action action, Network network, Map<String, String> extra, long timeNano) {
        Map<String, String> attributes = new TreeMap<>(extra);
        attributes.put("name", network.name());
        attributes.put("type", network.driver());
        return new Event(Event.Type.NETWORK, action, network.id().value(), attributes, timeNano);
    }

    private static Event container(Event.Action action, Sandbox sandbox, String image, Map<String, String> extra,
                                   long timeNano) {
        Map<String, String> attributes = new TreeMap<>(extra);
        attributes.put("name", sandbox.name());
        attributes.put("image", image == null || image.isEmpty() ? IMAGE : image);
        return new Event(Event.Type.CONTAINER, action, sandbox.id().value(), attributes, timeNano);
    }

    private static Event reconciled(Change.NetworkReconciled c, long timeNano) {
        Map<String, String> attributes = new LinkedHashMap<>();
        c.network().ifPresent(n -> {
            attributes.put("name", n.name());
            attributes.put("type", n.driver());
        });
        attributes.put("repaired", c.repaired());
        if (!c.failed().isEmpty()) {
            attributes.put("failed", c.failed());
        }
        return new Event(Event.Type.NETWORK, Event.Action.RECONCILE, c.actorId(), attributes, timeNano);
    }
}
