package dev.berth.core.service.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.RecordingRuntime;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.event.Event;
import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.service.network.PoolRequest;
import dev.berth.core.service.network.PruneFilter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxServiceTest {
    private final Fixture f = new Fixture();

    private Sandbox create(String name, String network) {
        return f.sandboxes.create(CreateSandbox.on(name, network));
    }

    private Endpoint endpoint(String container, String network) {
        return f.sandboxes.inspect(container).attachments().stream()
                .filter(a -> a.network().name().equals(network)).findFirst().orElseThrow().endpoint();
    }

    private static EndpointRequest ip(String v4) {
        return new EndpointRequest(v4, "", List.of(), "", 0);
    }

    @Test
    void createMakesNamespaceEndpointAndDefaultRoute() {
        f.service.create(CreateNetwork.named("net1"));
        f.bridge.calls.clear();
        Sandbox c1 = create("c1", "net1");
        assertEquals("c1", c1.name());
        assertEquals(c1.id().shortId(), c1.hostname());
        assertEquals("net1", c1.networkMode());
        assertEquals("/run/berth/netns/" + c1.id().shortId(), c1.netnsPath());
        assertTrue(f.runtime.namespaces.contains(c1.id()));
        Endpoint e = endpoint("c1", "net1");
        assertEquals("172.18.0.2/16", e.ipv4().toString());
        assertNull(e.ipv6());
        assertEquals("eth0", e.ifName());
        assertTrue(e.hostIfName().matches("veth[0-9a-f]{7}"), e.hostIfName());
        assertTrue(e.mac().matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}"), e.mac());
        assertEquals(2, Integer.parseInt(e.mac().substring(0, 2), 16) & 0x03, "unicast, locally administered");
        assertEquals(List.of("join c1 net1 eth0", "route v4 via net1 in c1"), f.bridge.calls);
        assertEquals(c1, f.store.sandboxes.get(c1.id()));
        assertEquals(e, f.store.endpoints.get(e.id()));
        assertEquals("172.18.0.3/16", endpoint(create("c2", "net1").name(), "net1").ipv4().toString());
    }

    @Test
    void createEmitsContainerCreateThenNetworkConnectWithTheContainer() {
        f.service.create(CreateNetwork.named("net1"));
        Sandbox c1 = create("c1", "net1");
        List<Event> events = f.events.replay(0, Long.MAX_VALUE, e -> true);
        Event create = events.get(events.size() - 2);
        Event connect = events.getLast();
        assertEquals("container create " + c1.id(), create.type().wire() + " " + create.action().wire() + " " + create.actorId());
        assertEquals("c1", create.attributes().get("name"));
        assertEquals("network connect", connect.type().wire() + " " + connect.action().wire());
        assertEquals(Map.of("container", c1.id().value(), "name", "net1", "type", "bridge"), connect.attributes());
    }

    @Test
    void defaultModeIsTheBridgeNetworkAndNamesAreUnique() {
        Sandbox c1 = f.sandboxes.create(new CreateSandbox("/c1", "", "default", Map.of()));
        assertEquals("bridge", c1.networkMode());
        assertEquals("172.17.0.2/16", endpoint("c1", "bridge").ipv4().toString());
        ConflictException e = assertThrows(ConflictException.class, () -> create("c1", "bridge"));
        assertEquals("Conflict. The container name \"/c1\" is already in use by container \"" + c1.id()
                + "\". You have to remove (or rename) that container to be able to reuse that name.", e.getMessage());
        InvalidParameterException bad = assertThrows(InvalidParameterException.class, () -> create("-x", "bridge"));
        assertEquals("Invalid container name (-x), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", bad.getMessage());
        assertTrue(create("", "bridge").name().matches("[a-z]+_[a-z]+[0-9]?"));
    }

    @Test
    void staticAddressesFollowDockersRules() {
        f.service.create(Fixture.withPools("net1", new PoolRequest("10.10.0.0/24", "", "", Map.of())));
        Sandbox c1 = f.sandboxes.create(new CreateSandbox("c1", "", "net1", Map.of("net1", ip("10.10.0.130"))));
        assertEquals("10.10.0.130/24", endpoint("c1", "net1").ipv4().toString());
        assertEquals("10.10.0.130", endpoint("c1", "net1").requested().ipv4());
        ForbiddenException inUse = assertThrows(ForbiddenException.class,
                () -> f.sandboxes.create(new CreateSandbox("c2", "", "net1", Map.of("net1", ip("10.10.0.130")))));
        assertEquals("Address already in use", inUse.getMessage());
        InvalidParameterException outside = assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.create(new CreateSandbox("c2", "", "net1", Map.of("net1", ip("10.99.0.5")))));
        assertEquals("invalid endpoint settings:\nno configured subnet or ip-range contain the IP address 10.99.0.5",
                outside.getMessage());
        InvalidParameterException onBridge = assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.create(new CreateSandbox("c2", "", "bridge",
                        Map.of("default", new EndpointRequest("172.17.0.9", "", List.of("a"), "", 0)))));
        assertEquals("invalid endpoint settings:\nuser specified IP address is supported on user defined networks only"
                + "\nnetwork-scoped alias is supported only for containers in user defined networks", onBridge.getMessage());
        InvalidParameterException garbage = assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.create(new CreateSandbox("c3", "", "net1",
                        Map.of("net1", new EndpointRequest("10.10.0.300", "zz", List.of(), "", 0)))));
        assertTrue(garbage.getMessage().contains("invalid IPv4 address: 10.10.0.300\ninvalid IPv6 address: zz"),
                garbage.getMessage());
        assertThrows(InvalidParameterException.class, () -> f.sandboxes.connect("bridge", "c1",
                new EndpointRequest("", "", List.of(), "nope", 0)));
        assertEquals(1, f.store.sandboxes.size(), "failed creates leave nothing: " + f.store.sandboxes);
        assertEquals(1, f.runtime.namespaces.size());
        assertEquals(c1.id(), f.runtime.namespaces.iterator().next());
    }

    @Test
    void linksLinkLocalAddressesAndDriverOptsAreKeptNormalisedAndCheckedAsMobyDoes() {
        f.service.create(Fixture.withPools("net1", new PoolRequest("10.10.0.0/24", "", "", Map.of())));
        f.sandboxes.create(new CreateSandbox("c1", "", "net1", Map.of("net1", new EndpointRequest("", "", List.of(), "",
                0, List.of("/db1:database", "cache"), List.of("169.254.7.7", "FE80::7"), Map.of("com.example.x", "y")))));
        Endpoint.Requested r = endpoint("c1", "net1").requested();
        assertEquals(List.of("db1:database", "cache:cache"), r.links());
        assertEquals(List.of("169.254.7.7", "fe80::7"), r.linkLocalIps());
        assertEquals(Map.of("com.example.x", "y"), r.driverOpts());
        InvalidParameterException bad = assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.create(new CreateSandbox("c2", "", "net1", Map.of("net1", new EndpointRequest("", "",
                        List.of(), "", 0, List.of("a:b:c", ":x"), List.of("10.0.0.1", "nope"), Map.of())))));
        assertEquals("invalid endpoint settings:\nbad format for links: a:b:c\nbad format for links: :x"
                + "\ninvalid link-local IP address: 10.0.0.1 (link-local addresses are in 169.254.0.0/16 and fe80::/10)"
                + "\ninvalid link-local IP address: nope (link-local addresses are in 169.254.0.0/16 and fe80::/10)",
                bad.getMessage());
        assertEquals(1, f.store.sandboxes.size(), "the refused create left nothing: " + f.store.sandboxes);
    }

    @Test
    void endpointSysctlsAreCheckedAsMobyChecksThem() {
        f.service.create(CreateNetwork.named("net1"));
        f.service.create(CreateNetwork.named("net2"));
        String good = "net.ipv4.conf.IFNAME.log_martians=1,net.ipv6.conf.ifname.accept_ra=0,net.mpls.conf.IFNAME.input=1";
        f.sandboxes.create(new CreateSandbox("c1", "", "net1", Map.of("net1", new EndpointRequest("", "", List.of(), "",
                0, List.of(), List.of(), Map.of(Endpoint.Requested.SYSCTLS, good)))));
        assertEquals(List.of("net.ipv4.conf.IFNAME.log_martians=1", "net.ipv6.conf.ifname.accept_ra=0",
                "net.mpls.conf.IFNAME.input=1"), endpoint("c1", "net1").requested().sysctls());
        String bad = "net.ipv4.conf.eth0.log_martians=1,kernel.pid_max=100,net.ipv4.ip_forward=1";
        InvalidParameterException refused = assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.connect("net2", "c1", new EndpointRequest("", "", List.of(), "", 0, List.of(),
                        List.of(), Map.of(Endpoint.Requested.SYSCTLS, bad))));
        String how = "; represent 'net.X.Y.ethN.Z=V' as 'net.X.Y.IFNAME.Z=V', 'X' must be 'ipv4', 'ipv6' or 'mpls'";
        assertEquals("invalid endpoint settings:\nunrecognised network interface sysctl 'net.ipv4.conf.eth0.log_martians=1'"
                + how + "\nunrecognised network interface sysctl 'kernel.pid_max=100'" + how
                + "\nunrecognised network interface sysctl 'net.ipv4.ip_forward=1'" + how, refused.getMessage());
        // what moby finds only when it applies them, refused with the request
        InvalidParameterException unapplicable = assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.connect("net2", "c1", new EndpointRequest("", "", List.of(), "", 0, List.of(),
                        List.of(), Map.of(Endpoint.Requested.SYSCTLS, "net.ipv4.conf.IFNAME.log_martians,"
                                + "net.ipv4.neigh.IFNAME.base_reachable_time.ms=1"))));
        assertEquals("invalid endpoint settings:\nexpected sysctl 'net.ipv4.conf.IFNAME.log_martians' to have format"
                + " name=value\nexpected sysctl 'net.ipv4.neigh.IFNAME.base_reachable_time.ms=1' to have format"
                + " net.X.Y.IFNAME.Z", unapplicable.getMessage());
        assertEquals(List.of("net1"), f.sandboxes.inspect("c1").attachments().stream().map(a -> a.network().name()).toList());
    }

    @Test
    void connectAddsTheNextInterfaceAndDisconnectGivesItBack() {
        f.service.create(CreateNetwork.named("net1"));
        f.service.create(CreateNetwork.named("net2"));
        Sandbox c1 = create("c1", "net1");
        f.sandboxes.connect("net2", "c1", new EndpointRequest("", "", List.of("db"), "02:00:00:00:00:07", 0));
        Endpoint e = endpoint("c1", "net2");
        assertEquals("eth1", e.ifName());
        assertEquals("02:00:00:00:00:07", e.mac());
        assertEquals(List.of("db"), e.aliases());
        ForbiddenException twice = assertThrows(ForbiddenException.class,
                () -> f.sandboxes.connect("net2", c1.id().value(), EndpointRequest.NONE));
        assertEquals("endpoint with name c1 already exists in network net2", twice.getMessage());
        f.bridge.calls.clear();
        f.sandboxes.disconnect("net2", "c1", false);
        assertEquals(List.of("leave c1 net2"), f.bridge.calls);
        assertFalse(f.store.endpoints.containsKey(e.id()));
        InvalidParameterException notThere = assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.disconnect("net2", "c1", false));
        assertEquals("container " + c1.id() + " is not connected to the network net2", notThere.getMessage());
        f.sandboxes.connect("net2", "c1", EndpointRequest.NONE);
        assertEquals(e.ipv4(), endpoint("c1", "net2").ipv4(), "a freed address is reused at once");
        assertEquals("eth1", endpoint("c1", "net2").ifName());
        assertEquals("network disconnect", f.events.replay(0, Long.MAX_VALUE, x -> x.action() == Event.Action.DISCONNECT)
                .getFirst().type().wire() + " disconnect");
    }

    @Test
    void defaultRouteFollowsGwPriorityAndFallsBackOnDisconnect() {
        f.service.create(CreateNetwork.named("net1"));
        f.service.create(CreateNetwork.named("net2"));
        create("c1", "net2");
        f.sandboxes.connect("net1", "c1", EndpointRequest.NONE);
        f.bridge.calls.clear();
        f.sandboxes.disconnect("net1", "c1", false);
        f.sandboxes.connect("net1", "c1", new EndpointRequest("", "", List.of(), "", 10));
        assertEquals(List.of("leave c1 net1", "route v4 via net2 in c1", "join c1 net1 eth1", "route v4 via net1 in c1"),
                f.bridge.calls);
        f.bridge.calls.clear();
        f.sandboxes.disconnect("net1", "c1", false);
        assertEquals(List.of("leave c1 net1", "route v4 via net2 in c1"), f.bridge.calls);
    }

    @Test
    void byNameTheFirstNetworkSuppliesTheGateway() {
        f.service.create(CreateNetwork.named("b"));
        f.service.create(CreateNetwork.named("a"));
        create("c1", "b");
        f.bridge.calls.clear();
        f.sandboxes.connect("a", "c1", EndpointRequest.NONE);
        assertEquals(List.of("join c1 a eth1", "route v4 via a in c1"), f.bridge.calls);
    }

    @Test
    void networkRemovalIsRefusedWhileEndpointsExist() {
        f.service.create(CreateNetwork.named("net1"));
        create("c1", "net1");
        Endpoint e = endpoint("c1", "net1");
        ForbiddenException busy = assertThrows(ForbiddenException.class, () -> f.service.remove("net1"));
        assertEquals("error while removing network: network net1 has active endpoints (name:\"c1\" id:\""
                + e.id().shortId() + "\")", busy.getMessage());
        assertEquals(List.of(), f.service.prune(new PruneFilter(Map.of())));
        f.sandboxes.remove("c1", true);
        f.service.remove("net1");
    }

    @Test
    void removeNeedsForceThenForgetsEverything() {
        f.service.create(CreateNetwork.named("net1"));
        Sandbox c1 = create("c1", "net1");
        ConflictException running = assertThrows(ConflictException.class, () -> f.sandboxes.remove("c1", false));
        assertEquals("cannot remove container \"/c1\": container is running: stop the container before removing or"
                + " force remove", running.getMessage());
        f.bridge.calls.clear();
        assertEquals(c1, f.sandboxes.remove(c1.id().shortId(), true));
        assertEquals(List.of("leave c1 net1"), f.bridge.calls);
        assertTrue(f.store.sandboxes.isEmpty() && f.store.endpoints.isEmpty());
        assertTrue(f.runtime.namespaces.isEmpty());
        assertEquals("172.18.0.2/16", endpoint(create("c2", "net1").name(), "net1").ipv4().toString());
        NotFoundException gone = assertThrows(NotFoundException.class, () -> f.sandboxes.inspect("c1"));
        assertEquals("No such container: c1", gone.getMessage());
    }

    @Test
    void hostAndNoneModesKeepToThemselves() {
        f.service.create(CreateNetwork.named("net1"));
        Sandbox h = create("hh", "host");
        assertEquals("", h.netnsPath());
        assertFalse(f.runtime.namespaces.contains(h.id()));
        InvalidParameterException shared = assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.connect("net1", "hh", EndpointRequest.NONE));
        assertEquals(SandboxRules.SHARED, shared.getMessage());
        create("c1", "net1");
        assertEquals(SandboxRules.HOST_ONLY, assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.connect("host", "c1", EndpointRequest.NONE)).getMessage());
        assertEquals(SandboxRules.NONE_MULTIPLE, assertThrows(InvalidParameterException.class,
                () -> f.sandboxes.connect("none", "c1", EndpointRequest.NONE)).getMessage());
        Sandbox n = create("nn", "none");
        assertTrue(f.runtime.namespaces.contains(n.id()));
        Endpoint none = endpoint("nn", "none");
        assertEquals("", none.ifName());
        assertNull(none.ipv4());
        assertThrows(InvalidParameterException.class, () -> f.sandboxes.connect("net1", "nn", EndpointRequest.NONE));
        assertEquals("cannot disconnect container from host network - container was created in host network mode",
                assertThrows(InvalidParameterException.class, () -> f.sandboxes.disconnect("host", "hh", false))
                        .getMessage());
    }

    @Test
    void aFailedJoinLeavesNoTrace() {
        f.service.create(CreateNetwork.named("net1"));
        f.bridge.failJoin = new InternalException("create veth: EEXIST");
        assertThrows(InternalException.class, () -> create("c1", "net1"));
        assertTrue(f.store.sandboxes.isEmpty() && f.store.endpoints.isEmpty());
        assertTrue(f.runtime.namespaces.isEmpty());
        assertTrue(f.sandboxes.list().isEmpty());
        f.bridge.failJoin = null;
        assertEquals("172.18.0.2/16", endpoint(create("c1", "net1").name(), "net1").ipv4().toString());
    }

    @Test
    void resolutionByIdNamePrefix() {
        Sandbox c1 = create("c1", "bridge");
        assertEquals(c1, f.sandboxes.resolve(c1.id().value()));
        assertEquals(c1, f.sandboxes.resolve("/c1"));
        assertEquals(c1, f.sandboxes.resolve(c1.id().value().substring(0, 3)));
        assertEquals("No such container: zz", assertThrows(NotFoundException.class,
                () -> f.sandboxes.resolve("zz")).getMessage());
    }

    @Test
    void restartReservesStoredAddressesAndRestoresKernelState() {
        f.service.create(CreateNetwork.named("net1"));
        Sandbox c1 = create("c1", "net1");
        Fixture.Restarted again = f.restarted(9);
        again.service().start();
        RecordingRuntime runtime = new RecordingRuntime();
        SandboxService sandboxes = new SandboxService(again.state(), again.service(), runtime);
        f.bridge.calls.clear();
        sandboxes.start();
        assertTrue(runtime.namespaces.contains(c1.id()));
        assertEquals(List.of("restore 1", "route v4 via net1 in c1"), f.bridge.calls);
        assertEquals("172.18.0.3/16", sandboxes.inspect(sandboxes.create(CreateSandbox.on("c2", "net1")).name())
                .attachments().getFirst().endpoint().ipv4().toString());
    }

    @Test
    void gatewayAndAuxAddressesAreNeverHandedOutAlsoAfterARestart() {
        f.service.create(Fixture.withPools("net1", new PoolRequest("10.30.0.0/24", "", "10.30.0.2",
                Map.of("printer", "10.30.0.1"))));
        create("c1", "net1");
        assertEquals("10.30.0.3/24", endpoint("c1", "net1").ipv4().toString());
        Fixture.Restarted again = f.restarted(11);
        again.service().start();
        SandboxService sandboxes = new SandboxService(again.state(), again.service(), new RecordingRuntime());
        sandboxes.start();
        sandboxes.create(CreateSandbox.on("c2", "net1"));
        assertEquals("10.30.0.4/24", sandboxes.inspect("c2").attachments().getFirst().endpoint().ipv4().toString());
        assertEquals("Address already in use", assertThrows(ForbiddenException.class, () -> sandboxes.connect("net1",
                sandboxes.create(CreateSandbox.on("c3", "bridge")).name(), ip("10.30.0.1"))).getMessage());
    }

    @Test
    void endpointListenersRunAfterConnectAndDisconnectOutsideTheWriteLock() {
        f.service.create(CreateNetwork.named("net1"));
        Sandbox c1 = create("c1", "bridge");
        List<String> seen = new java.util.ArrayList<>();
        List<String> inline = new java.util.ArrayList<>();
        f.state.changes().afterChange(c -> endpointSandbox(c).ifPresent(s -> seen.add(s.name() + " "
                + f.sandboxes.inspect(s.name()).attachments().size() + " " + writing())));
        f.state.changes().afterChange(c -> {
            throw new IllegalStateException("listener bug");
        });
        f.state.changes().onChange(c -> endpointSandbox(c).ifPresent(s -> inline.add(s.name() + " " + writing())));
        f.sandboxes.connect("net1", "c1", EndpointRequest.NONE);
        f.sandboxes.disconnect("net1", c1.id().value(), false);
        assertThrows(ForbiddenException.class, () -> f.sandboxes.connect("bridge", "c1", EndpointRequest.NONE));
        assertEquals(List.of("c1 2 false", "c1 1 false"), seen);
        assertEquals(List.of("c1 true", "c1 true"), inline);
    }

    private static java.util.Optional<Sandbox> endpointSandbox(Change change) {
        return switch (change) {
            case Change.EndpointAttached a -> java.util.Optional.of(a.sandbox());
            case Change.EndpointDetached d -> java.util.Optional.of(d.sandbox());
            default -> java.util.Optional.empty();
        };
    }

    private boolean writing() {
        try {
            f.state.requireWriting();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
