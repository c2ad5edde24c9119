package dev.berth.core.service.event;

import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The {@code /events} record of each {@link Change}: type, action, actor and attributes as moby words them. */
public final class ChangeEvents {
    /** What Berth reports as every sandbox's image: it runs none. */
    public static final String IMAGE = "berth/sandbox";
    /** The action of {@link Change.NetworkReconciled}. */
    public static final String RECONCILE = "reconcile";

    private ChangeEvents() {
    }

    /** The event of one change at {@code timeNano}. */
    public static Event of(Change change, long timeNano) {
        return switch (change) {
            case Change.NetworkCreated c -> network("create", c.network(), Map.of(), timeNano);
            case Change.NetworkRemoved c -> network("destroy", c.network(), Map.of(), timeNano);
            case Change.NetworksPruned c ->
                    new Event(Event.TYPE_NETWORK, "prune", "", Map.of("reclaimed", "0"), timeNano);
            case Change.NetworkReconciled c -> reconciled(c, timeNano);
            case Change.EndpointAttached c -> network("connect", c.network(),
                    Map.of("container", c.sandbox().id().value()), timeNano);
            case Change.EndpointDetached c -> network("disconnect", c.network(),
                    Map.of("container", c.sandbox().id().value()), timeNano);
            case Change.SandboxCreated c -> container("create", c.sandbox(), Map.of(), timeNano);
            case Change.SandboxRemoved c -> container("destroy", c.sandbox(), Map.of(), timeNano);
            case Change.ProcessStarted c -> container("start", c.sandbox(), Map.of(), timeNano);
            case Change.ProcessDied c -> container("die", c.sandbox(),
                    Map.of("exitCode", Integer.toString(c.exitCode())), timeNano);
        };
    }

    private static Event network(String action, Network network, Map<String, String> extra, long timeNano) {
        Map<String, String> attributes = new TreeMap<>(extra);
        attributes.put("name", network.name());
        attributes.put("type", network.driver());
        return new Event(Event.TYPE_NETWORK, action, network.id().value(), attributes, timeNano);
    }

    private static Event container(String action, Sandbox sandbox, Map<String, String> extra, long timeNano) {
        Map<String, String> attributes = new TreeMap<>(extra);
        attributes.put("name", sandbox.name());
        attributes.put("image", IMAGE);
        return new Event(Event.TYPE_CONTAINER, action, sandbox.id().value(), attributes, timeNano);
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
        return new Event(Event.TYPE_NETWORK, RECONCILE, c.actorId(), attributes, timeNano);
    }
}
