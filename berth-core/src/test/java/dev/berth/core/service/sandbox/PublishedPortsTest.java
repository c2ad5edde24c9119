package dev.berth.core.service.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.PortBinding;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.PublishedPort;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.service.network.IpamRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishedPortsTest {
    private final Fixture f = new Fixture();
    private final PortPlanner planner = new PortPlanner(new PortRange(40000, 40002));

    private Sandbox create(String name, String network, PortRequest... ports) {
        return f.sandboxes.create(new CreateSandbox(name, "", network, Map.of(), List.of(ports)));
    }

    @Test
    void planParsesDefaultsAndChoosesEphemeralPorts() {
        List<PublishedPort> out = planner.plan(List.of(new PortRequest("80/tcp", "", "8080"),
                new PortRequest("53/udp", "127.0.0.1", ""), new PortRequest("443", "[::1]", "0"),
                new PortRequest("81/tcp", "", "0")), List.of());
        assertEquals(List.of(new PublishedPort("tcp", 80, "", 8080), new PublishedPort("udp", 53, "127.0.0.1", 40000),
                new PublishedPort("tcp", 443, "::1", 40000), new PublishedPort("tcp", 81, "", 40001)), out);
    }

    @Test
    void planRejectsBadSpecsWithClearText() {
        assertEquals("invalid port specification: \"abc\"", assertThrows(InvalidParameterException.class,
                () -> planner.plan(List.of(new PortRequest("80/tcp", "", "abc")), List.of())).getMessage());
        assertTrue(assertThrows(InvalidParameterException.class, () -> planner.plan(
                List.of(new PortRequest("80/sctp", "", "1")), List.of())).getMessage().contains("sctp"));
        assertTrue(assertThrows(InvalidParameterException.class, () -> planner.plan(
                List.of(new PortRequest("80/tcp", "1.2.3", "1")), List.of())).getMessage().contains("host IP"));
        assertThrows(InvalidParameterException.class, () -> planner.plan(
                List.of(new PortRequest("70000/tcp", "", "1")), List.of()));
    }

    @Test
    void overlappingHostAddressesConflictAndNameTheHolder() {
        List<PortPlanner.Held> held = List.of(new PortPlanner.Held("web", new PublishedPort("tcp", 80, "", 8080)));
        ConflictException e = assertThrows(ConflictException.class,
                () -> planner.plan(List.of(new PortRequest("81/tcp", "127.0.0.1", "8080")), held));
        assertEquals("Bind for 127.0.0.1:8080 failed: port is already allocated (published by container \"web\""
                + " as 0.0.0.0:8080->80/tcp)", e.getMessage());
        assertEquals(1, planner.plan(List.of(new PortRequest("80/udp", "", "8080")), held).size());
        List<PortPlanner.Held> local = List.of(new PortPlanner.Held("a", new PublishedPort("tcp", 80, "127.0.0.1", 9)));
        assertEquals(1, planner.plan(List.of(new PortRequest("80/tcp", "127.0.0.2", "9")), local).size());
        assertEquals(1, planner.plan(List.of(new PortRequest("80/tcp", "::", "9")), local).size());
        assertThrows(ConflictException.class, () -> planner.plan(List.of(new PortRequest("80/tcp", "0.0.0.0", "9")),
                local));
        assertEquals(List.of(new PublishedPort("tcp", 80, "", 8081)),
                planner.plan(List.of(new PortRequest("80/tcp", "", "8080-8082")), held));
    }

    @Test
    void theDaemonsOwnTcpPortIsRefusedAsDockerdRefusesIt() {
        f.sandboxes.reserveDaemonPorts(List.of(new PublishedPort("tcp", 2376, "127.0.0.1", 2376)));
        ConflictException e = assertThrows(ConflictException.class,
                () -> create("web", "bridge", new PortRequest("80/tcp", "", "2376")));
        assertEquals("Bind for 0.0.0.0:2376 failed: port is already allocated (the daemon's API listens on "
                + "127.0.0.1:2376)", e.getMessage());
        assertTrue(f.sandboxes.list().isEmpty(), "nothing made");
        assertEquals(1, create("dns", "bridge", new PortRequest("80/udp", "", "2376")).ports().size());
        assertEquals(1, create("other", "bridge", new PortRequest("80/tcp", "127.0.0.2", "2376")).ports().size());
    }

    @Test
    void joinPublishesOnTheGatewayEndpointAndRemoveUnpublishes() {
        f.service.create(Fixture.request("net1", null, true, List.of(), Map.of()));
        Sandbox web = create("web", "net1", new PortRequest("80/tcp", "", "8080"));
        String key = f.sandboxes.inspect("web").attachments().getFirst().endpoint().id().value();
        String v6 = f.sandboxes.inspect("web").attachments().getFirst().endpoint().ipv6().address().getHostAddress();
        assertTrue(f.firewall.calls().contains("publish " + key + " [tcp 0.0.0.0:8080->172.18.0.2:80, tcp ::" 
                + ":8080->" + dev.berth.core.model.IpAddresses.format(
                        dev.berth.core.model.IpAddresses.parse(v6)) + ":80]"), f.firewall.calls().toString());
        assertEquals(List.of(new PublishedPort("tcp", 80, "", 8080)), f.store.sandboxes.get(web.id()).ports());
        ConflictException e = assertThrows(ConflictException.class,
                () -> create("other", "net1", new PortRequest("80/tcp", "", "8080")));
        assertTrue(e.getMessage().contains("\"web\""), e.getMessage());
        assertTrue(f.sandboxes.attachments(f.service.inspect("net1").id()).size() == 1, "nothing half-made");
        f.sandboxes.remove("web", true);
        assertEquals("unpublish " + key, f.firewall.calls().getLast());
    }

    @Test
    void internalNetworkPublishesNothingAndConnectMovesThePorts() {
        f.service.create(new CreateNetwork("inner", "bridge", "", null, null, IpamRequest.defaults(),
                new CreateNetwork.RequestFlags(true, false, false, false), null, Map.of(), Map.of()));
        f.service.create(CreateNetwork.named("outer"));
        create("web", "inner", new PortRequest("80/tcp", "", "8080"));
        assertTrue(f.firewall.calls().stream().noneMatch(c -> c.startsWith("publish")), f.firewall.calls().toString());
        f.sandboxes.connect("outer", "web", EndpointRequest.NONE);
        assertTrue(f.firewall.calls().getLast().startsWith("publish "), f.firewall.calls().toString());
        f.sandboxes.disconnect("outer", "web", false);
        assertTrue(f.firewall.calls().getLast().startsWith("unpublish "), f.firewall.calls().toString());
    }

    @Test
    void aRoutedFamilyOpensTheSandboxPortWithoutHostAddressOrPort() {
        f.service.create(Fixture.request("mixed", null, true, List.of(
                new dev.berth.core.service.network.PoolRequest("2001:db8:5::/64", null, null, null)),
                Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6, "routed")));
        create("web", "mixed", new PortRequest("80/tcp", "", "8080"), new PortRequest("80/tcp", "::1", "8081"),
                new PortRequest("53/udp", "127.0.0.1", "5353"));
        String key = f.sandboxes.inspect("web").attachments().getFirst().endpoint().id().value();
        assertTrue(f.firewall.calls().contains("publish " + key + " [tcp 0.0.0.0:8080->172.18.0.2:80, tcp ::"
                + ":0->2001:db8:5::2:80, udp 127.0.0.1:5353->172.18.0.2:53]"), f.firewall.calls().toString());
        List<PortBinding> shown = SandboxService.bindings(f.sandboxes.inspect("web"));
        assertEquals(3, shown.size(), shown::toString);
    }

    @Test
    void routedPortsAreAlsoOpenOnEndpointsThatDoNotCarryTheDefaultRoute() {
        f.service.create(CreateNetwork.named("front"));
        f.service.create(Fixture.request("zrouted", null, null, List.of(),
                Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV4, "routed")));
        create("web", "front", new PortRequest("80/tcp", "", "8080"));
        f.sandboxes.connect("zrouted", "web", EndpointRequest.NONE);
        var attachments = f.sandboxes.inspect("web").attachments();
        String front = attachments.stream().filter(a -> a.network().name().equals("front")).findFirst().orElseThrow()
                .endpoint().id().value();
        String routed = attachments.stream().filter(a -> a.network().name().equals("zrouted")).findFirst()
                .orElseThrow().endpoint().id().value();
        List<String> calls = f.firewall.calls();
        assertEquals("publish " + front + " [tcp 0.0.0.0:8080->172.18.0.2:80]", calls.get(calls.size() - 2));
        assertEquals("publish " + routed + " [tcp 0.0.0.0:0->172.19.0.2:80]", calls.getLast());
        f.sandboxes.disconnect("zrouted", "web", false);
        assertEquals("unpublish " + routed, f.firewall.calls().get(f.firewall.calls().size() - 2));
        f.sandboxes.connect("zrouted", "web", EndpointRequest.NONE);
        String again = f.sandboxes.inspect("web").attachments().stream()
                .filter(a -> a.network().name().equals("zrouted")).findFirst().orElseThrow().endpoint().id().value();
        int before = f.firewall.calls().size();
        f.sandboxes.remove("web", true);
        List<String> removal = f.firewall.calls().subList(before, f.firewall.calls().size());
        for (String key : List.of(front, again)) {
            assertEquals("unpublish " + key, removal.stream().filter(c -> c.contains(key)).reduce((a, b) -> b)
                    .orElse(""), removal::toString);
        }
    }

    @Test
    void restartRebuildsWithStoredPorts() {
        f.service.create(CreateNetwork.named("net1"));
        create("web", "net1", new PortRequest("80/tcp", "", "8080"));
        f.restarted(3).service().start();
        assertTrue(f.firewall.calls().getLast().contains("tcp 0.0.0.0:8080->172.18.0.2:80"),
                f.firewall.calls().getLast());
    }
}
