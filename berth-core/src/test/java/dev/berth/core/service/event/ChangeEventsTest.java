package dev.berth.core.service.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.service.sandbox.CreateSandbox;
import dev.berth.core.service.state.Attachment;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each change's {@code /events} record, as moby words it. */
class ChangeEventsTest {
    private final Fixture f = new Fixture();
    private final Network net = f.service.create(CreateNetwork.named("net1")).network();
    private final Sandbox box = f.sandboxes.create(CreateSandbox.on("c1", "net1"));
    private final Attachment joined = f.sandboxes.inspect("c1").attachments().getFirst();
    private final String netId = net.id().value();
    private final String boxId = box.id().value();

    private static Event event(String type, String action, String actor, Map<String, String> attributes) {
        return new Event(Event.Type.valueOf(type.toUpperCase(Locale.ROOT)),
                Event.Action.valueOf(action.toUpperCase(Locale.ROOT)), actor, attributes, 7);
    }

    private static void same(Event expected, Change change) {
        assertEquals(Optional.of(expected), ChangeEvents.of(change, 7));
    }

    @Test
    void networkChanges() {
        Map<String, String> named = Map.of("name", "net1", "type", "bridge");
        same(event("network", "create", netId, named), new Change.NetworkCreated(net));
        same(event("network", "destroy", netId, named), new Change.NetworkRemoved(net));
        same(event("network", "prune", "", Map.of("reclaimed", "0")), new Change.NetworksPruned());
        Map<String, String> connected = Map.of("container", boxId, "name", "net1", "type", "bridge");
        same(event("network", "connect", netId, connected), new Change.EndpointAttached(net, box, joined.endpoint()));
        same(event("network", "disconnect", netId, connected), new Change.EndpointDetached(net, box, joined.endpoint()));
    }

    @Test
    void reconcileNamesTheNetworkWhenItStillExistsAndFailuresOnlyWhenThereAreAny() {
        same(event("network", "reconcile", netId, Map.of("name", "net1", "type", "bridge", "repaired", "bridge down")),
                new Change.NetworkReconciled(netId, Optional.of(net), "bridge down", ""));
        same(event("network", "reconcile", "", Map.of("repaired", "table gone", "failed", "x")),
                new Change.NetworkReconciled("", Optional.empty(), "table gone", "x"));
    }

    @Test
    void containerChanges() {
        Map<String, String> named = Map.of("name", "c1", "image", ChangeEvents.IMAGE);
        same(event("container", "create", boxId, named), new Change.SandboxCreated(box));
        same(event("container", "destroy", boxId, named), new Change.SandboxRemoved(box));
        same(event("container", "start", boxId, named), new Change.ProcessStarted(box));
        same(event("container", "die", boxId, Map.of("name", "c1", "image", ChangeEvents.IMAGE, "exitCode", "137")),
                new Change.ProcessDied(box, 137));
        same(event("container", "prune", "", Map.of("reclaimed", "0")), new Change.ContainersPruned());
    }

    @Test
    void aReloadIsADaemonEventOfTheEngineAndAReaddressedEndpointIsNone() {
        Map<String, String> attributes = Map.of("ipv6", "true", "name", "host1");
        same(event("daemon", "reload", Fixture.ENGINE_ID, attributes), new Change.DaemonReloaded(Fixture.ENGINE_ID,
                attributes));
        assertEquals(Optional.empty(), ChangeEvents.of(new Change.EndpointReaddressed(net, box, joined.endpoint(),
                joined.endpoint()), 7));
    }
}
