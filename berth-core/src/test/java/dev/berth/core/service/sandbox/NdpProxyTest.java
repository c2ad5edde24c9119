package dev.berth.core.service.sandbox;

import static dev.berth.core.service.RecordingNdpProxy.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InternalException;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.RecordingNdpProxy;
import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.service.network.NdpProxySetting;
import dev.berth.core.service.network.PoolRequest;
import dev.berth.core.spi.KernelDrift;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Automatic NDP proxy ({@code NdpProxies}) over a fake host: which endpoints get entries on which
 * interfaces, when they come and go, what start-up and the reconcile loop repair, and that
 * entries Berth did not make are left alone.
 */
class NdpProxyTest {
    private static final String MODE6 = "com.docker.network.bridge.gateway_mode_ipv6";
    /** The host's LAN, as the integration tests' uplink has it. */
    private static final Consumer<RecordingNdpProxy> LAN = host -> host.link("eth0", "2001:db8::2/64");

    private static CreateNetwork network(String name, String subnet, String mode, boolean internal) {
        CreateNetwork plain = Fixture.request(name, null, true, List.of(PoolRequest.subnet(subnet)),
                mode == null ? Map.of() : Map.of(MODE6, mode));
        return internal ? new CreateNetwork(plain.name(), plain.driver(), plain.scope(), plain.enableIpv4(),
                plain.enableIpv6(), plain.ipam(), new CreateNetwork.RequestFlags(true, false, false, false),
                plain.configFrom(), plain.options(), plain.labels()) : plain;
    }

    private static Fixture fixture(NdpProxySetting setting, Consumer<RecordingNdpProxy> host) {
        return new Fixture(setting, host);
    }

    @Test
    void aRoutedEndpointInsideTheLanPrefixIsProxiedOnTheUplinkUntilItDisconnects() {
        Fixture f = fixture(NdpProxySetting.AUTO, LAN);
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.service.create(Fixture.withPools("other"));
        f.sandboxes.create(CreateSandbox.on("c1", "other"));
        f.ndp.clearCalls();

        f.sandboxes.connect("rt", "c1", EndpointRequest.NONE);
        assertEquals(List.of("enable eth0", "add eth0 2001:db8::1:0:0:2"), f.ndp.calls());
        assertEquals(List.of("eth0 2001:db8::1:0:0:2"), f.ndp.berthsText());

        f.sandboxes.create(CreateSandbox.on("c2", "rt"));
        assertEquals("add eth0 2001:db8::1:0:0:3", f.ndp.calls().getLast(), "proxy_ndp is turned on once");
        f.sandboxes.disconnect("rt", "c1", false);
        assertEquals(List.of("eth0 2001:db8::1:0:0:3"), f.ndp.berthsText());
        f.sandboxes.remove("c2", true);
        assertEquals(List.of(), f.ndp.berthsText());
        assertTrue(f.ndp.proxying.contains("eth0"), "proxy_ndp stays on");
    }

    @Test
    void onlyRoutedAndNatUnprotectedIpv6NetworksInsideAnOnLinkPrefixGetEntries() {
        Fixture f = fixture(NdpProxySetting.AUTO, LAN);
        f.service.create(network("open", "2001:db8::1:0:0:0/80", "nat-unprotected", false));
        f.service.create(network("nat", "2001:db8::2:0:0:0/80", null, false));
        f.service.create(network("internal", "2001:db8::3:0:0:0/80", "routed", true));
        f.service.create(network("elsewhere", "2001:db8:5::/64", "routed", false));
        f.service.create(Fixture.request("v4", null, false, List.of(PoolRequest.subnet("10.9.0.0/24")),
                Map.of(MODE6, "routed")));
        for (String net : List.of("open", "nat", "internal", "elsewhere", "v4")) {
            f.sandboxes.create(CreateSandbox.on("c-" + net, net));
        }
        assertEquals(List.of("eth0 2001:db8::1:0:0:2"), f.ndp.berthsText(),
                "nat hides sandboxes, internal has no way out, 2001:db8:5::/64 is not on-link, v4 has no IPv6");

        Fixture whole = fixture(NdpProxySetting.AUTO, LAN);
        whole.service.create(network("whole", "2001:db8::/64", "routed", false));
        whole.sandboxes.create(CreateSandbox.on("c1", "whole"));
        assertEquals(List.of(), whole.ndp.berthsText(), "a subnet equal to the LAN's prefix would take the LAN's route");
    }

    @Test
    void autoUsesEveryInterfaceWithThePrefixAListOnlyThoseFalseNone() {
        Consumer<RecordingNdpProxy> twoLans = host -> host.link("eth0", "2001:db8::2/64").link("eth1", "2001:db8::9/64")
                .link("wlan0", "2001:db8:7::2/64");
        for (var c : List.of(
                Map.entry(NdpProxySetting.AUTO, List.of("eth0 2001:db8::1:0:0:2", "eth1 2001:db8::1:0:0:2")),
                Map.entry(NdpProxySetting.only(List.of("eth1", "wlan0")), List.of("eth1 2001:db8::1:0:0:2")),
                Map.entry(NdpProxySetting.OFF, List.<String>of()))) {
            Fixture f = fixture(c.getKey(), twoLans);
            f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
            f.sandboxes.create(CreateSandbox.on("c1", "rt"));
            assertEquals(c.getValue(), f.ndp.berthsText(), c.getKey().toString());
        }
    }

    @Test
    void anEntrySomebodyElseMadeIsUsedButNeverTouched() {
        Fixture f = fixture(NdpProxySetting.AUTO, LAN);
        f.ndp.foreign.add(entry("eth0", "2001:db8::1:0:0:2"));
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.sandboxes.create(CreateSandbox.on("c1", "rt"));
        f.sandboxes.remove("c1", true);
        assertEquals(List.of(), f.ndp.berthsText());
        assertTrue(f.ndp.calls().stream().noneMatch(c -> c.startsWith("delete")), f.ndp.calls()::toString);
        assertEquals(1, f.ndp.foreign.size());
    }

    @Test
    void aConnectWhoseEntryIsRefusedFailsAndLeavesNothing() {
        Fixture f = fixture(NdpProxySetting.AUTO, host -> host.link("eth0", "2001:db8::2/64").link("eth1", "2001:db8::3/64"));
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.service.create(Fixture.withPools("other"));
        f.sandboxes.create(CreateSandbox.on("c1", "other"));
        f.ndp.refused = "add eth1";
        assertThrows(InternalException.class, () -> f.sandboxes.connect("rt", "c1", EndpointRequest.NONE));
        assertEquals(List.of(), f.ndp.berthsText(), "the entry on eth0 is undone with the connect");
        assertEquals(List.of(), f.sandboxes.inspect("c1").attachments().stream()
                .filter(a -> a.network().name().equals("rt")).toList());
    }

    @Test
    void networkRemovalSweepsWhatADisconnectCouldNotDelete() {
        Fixture f = fixture(NdpProxySetting.AUTO, LAN);
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.sandboxes.create(CreateSandbox.on("c1", "rt"));
        f.ndp.refused = "delete";
        f.sandboxes.remove("c1", true);
        assertEquals(List.of("eth0 2001:db8::1:0:0:2"), f.ndp.berthsText(), "the delete failed: logged, not thrown");
        f.ndp.refused = null;
        f.service.remove("rt");
        assertEquals(List.of(), f.ndp.berthsText());
    }

    @Test
    void startUpAddsWhatIsMissingAndRemovesBerthsStaleEntriesOfItsSubnetsOnly() {
        Fixture f = fixture(NdpProxySetting.AUTO, LAN);
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.sandboxes.create(CreateSandbox.on("c1", "rt"));
        f.ndp.berths.clear();                                              // lost, e.g. the uplink was re-made
        f.ndp.berths.add(entry("eth0", "2001:db8::1:0:0:99"));             // a crash between disconnect and delete
        f.ndp.berths.add(entry("eth0", "2001:db8::4:0:0:5"));              // Berth's mark, but no subnet of Berth's
        f.ndp.foreign.add(entry("eth0", "2001:db8::1:0:0:77"));            // the admin's, in Berth's subnet
        f.ndp.proxying.clear();

        f.restartedWithNdp(NdpProxySetting.AUTO);
        assertEquals(List.of("eth0 2001:db8::1:0:0:2", "eth0 2001:db8::4:0:0:5"), f.ndp.berthsText());
        assertEquals(1, f.ndp.foreign.size());
        assertTrue(f.ndp.proxying.contains("eth0"));
    }

    @Test
    void turnedOffAtStartUpBerthsEntriesGo() {
        Fixture f = fixture(NdpProxySetting.AUTO, LAN);
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.sandboxes.create(CreateSandbox.on("c1", "rt"));
        f.restartedWithNdp(NdpProxySetting.OFF);
        assertEquals(List.of(), f.ndp.berthsText());
    }

    @Test
    void theReconcileLoopFollowsTheUplinksPrefixAndRepairsProxyNdp() {
        Fixture f = fixture(NdpProxySetting.AUTO, host -> { });
        Reconciler reconciler = new Reconciler(f.state, f.service, f.sandboxes);
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.sandboxes.create(CreateSandbox.on("c1", "rt"));
        assertEquals(List.of(), f.ndp.berthsText(), "no prefix on-link yet");
        assertEquals(List.of(), reconciler.pass());

        f.ndp.link("eth0", "2001:db8::2/64");                               // the uplink got its address (RA, DHCPv6)
        List<KernelDrift> drift = reconciler.pass();
        assertEquals(List.of("ndp proxy entry 2001:db8::1:0:0:2 on eth0 missing", "ndp proxy: proxy_ndp off on eth0"),
                text(drift));
        assertEquals(f.service.inspect("rt").id(), drift.getFirst().network());
        assertEquals(List.of("eth0 2001:db8::1:0:0:2"), f.ndp.berthsText());
        assertEquals(List.of(), reconciler.pass());

        f.ndp.proxying.clear();                                            // someone turned proxy_ndp off
        assertEquals(List.of("ndp proxy: proxy_ndp off on eth0"), text(reconciler.pass()));
        assertTrue(f.ndp.proxying.contains("eth0"));

        f.ndp.onLink.clear();                                              // the prefix went
        assertEquals(List.of("ndp proxy entry 2001:db8::1:0:0:2 on eth0 stale (no endpoint wants it)"),
                text(reconciler.pass()));
        assertEquals(List.of(), f.ndp.berthsText());
    }

    @Test
    void theCheckReadsNothingWithoutAProxiedNetwork() {
        Fixture f = fixture(NdpProxySetting.AUTO, LAN);
        Reconciler reconciler = new Reconciler(f.state, f.service, f.sandboxes);
        f.service.create(network("nat", "2001:db8::1:0:0:0/80", null, false));
        f.sandboxes.create(CreateSandbox.on("c1", "nat"));
        f.ndp.reads = 0;
        reconciler.pass();
        assertEquals(0, f.ndp.reads);
    }

    @Test
    void aConnectUsesThePrefixesLastReadAndTheNextPassFollowsAChange() {
        Fixture f = fixture(NdpProxySetting.AUTO, LAN);
        Reconciler reconciler = new Reconciler(f.state, f.service, f.sandboxes);
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.sandboxes.create(CreateSandbox.on("c1", "rt"));
        assertEquals(List.of(), reconciler.pass());
        f.ndp.onLinkReads = 0;
        f.sandboxes.create(CreateSandbox.on("c2", "rt"));
        f.sandboxes.create(CreateSandbox.on("c3", "rt"));
        assertEquals(0, f.ndp.onLinkReads, "no read of the host's prefixes per connect");
        assertEquals(3, f.ndp.berthsText().size());

        f.ndp.onLink.clear();                                              // the LAN moved to eth1
        f.ndp.link("eth1", "2001:db8::2/64");
        f.sandboxes.create(CreateSandbox.on("c4", "rt"));
        assertEquals("eth0 2001:db8::1:0:0:5", f.ndp.berthsText().getLast(), "until the next pass, as the others");
        List<String> drift = text(reconciler.pass());
        assertEquals(4, drift.stream().filter(d -> d.endsWith(" on eth1 missing")).count(), drift::toString);
        assertEquals(4, drift.stream().filter(d -> d.endsWith(" on eth0 stale (no endpoint wants it)")).count(),
                drift::toString);
        assertEquals("ndp proxy: proxy_ndp off on eth1", drift.getLast());
        assertEquals(List.of("eth1 2001:db8::1:0:0:2", "eth1 2001:db8::1:0:0:3", "eth1 2001:db8::1:0:0:4",
                "eth1 2001:db8::1:0:0:5"), f.ndp.berthsText());
        assertEquals(List.of(), reconciler.pass());
    }

    @Test
    void withoutAProxiedNetworkThePrefixesAreForgottenAndTheFirstConnectReadsThem() {
        Fixture f = fixture(NdpProxySetting.AUTO, host -> { });
        Reconciler reconciler = new Reconciler(f.state, f.service, f.sandboxes);
        reconciler.pass();                                                  // nothing proxied: nothing read, nothing kept
        f.ndp.link("eth0", "2001:db8::2/64");
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.sandboxes.create(CreateSandbox.on("c1", "rt"));
        assertEquals(List.of("eth0 2001:db8::1:0:0:2"), f.ndp.berthsText(), "read at the first connect");
    }

    @Test
    void aSubnetEqualToTheLanPrefixGetsNoEntry() {
        Fixture f = fixture(NdpProxySetting.AUTO, LAN);
        f.service.create(network("whole", "2001:db8::/64", "routed", false));
        f.sandboxes.create(CreateSandbox.on("c1", "whole"));
        assertEquals(List.of(), f.ndp.berthsText(), "it would take the LAN's route away");
    }

    @Test
    void aNewSettingIsAppliedAtOnce() {
        Fixture f = fixture(NdpProxySetting.AUTO, host -> host.link("eth0", "2001:db8::2/64").link("eth1", "2001:db8::3/64"));
        f.service.create(network("rt", "2001:db8::1:0:0:0/80", "routed", false));
        f.sandboxes.create(CreateSandbox.on("c1", "rt"));
        assertEquals(2, f.ndp.berthsText().size());
        assertEquals(List.of(), f.service.reconfigureNdpProxy(NdpProxySetting.only(List.of("eth1"))));
        assertEquals(List.of("eth1 2001:db8::1:0:0:2"), f.ndp.berthsText());
        f.service.reconfigureNdpProxy(NdpProxySetting.OFF);
        assertEquals(List.of(), f.ndp.berthsText());
        f.service.reconfigureNdpProxy(NdpProxySetting.AUTO);
        assertEquals(2, f.ndp.berthsText().size());
        assertEquals(NdpProxySetting.AUTO, f.service.ndpProxies().setting());
    }

    private static List<String> text(List<KernelDrift> drift) {
        List<String> out = new ArrayList<>();
        drift.forEach(d -> out.add(d.description()));
        return out;
    }
}
