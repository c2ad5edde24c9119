package dev.berth.core.service.network;

import static dev.berth.core.service.Fixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.service.Fixture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Create requests whose values the kernel would refuse or that are too big: 400 before anything is touched. */
class NetworkInputTest {
    private static final String MTU = "com.docker.network.driver.mtu";

    private final Fixture f = new Fixture();

    @Test
    void mtuIsParsedAsGoParsesItAndMustSuitIpv6() {
        assertInvalid("invalid value \"1500 \" for option " + MTU + ": it must be an integer",
                request("x", null, null, List.of(), Map.of(MTU, "1500 ")));
        assertInvalid("invalid value \" 1500\" for option " + MTU + ": it must be an integer",
                request("x", null, null, List.of(), Map.of(MTU, " 1500")));
        assertInvalid("invalid value \"-1\" for option " + MTU + ": it must be between 68 and 65535",
                request("x", null, null, List.of(), Map.of(MTU, "-1")));
        assertInvalid("invalid value \"99999999999999999999\" for option " + MTU + ": it must be between 68 and 65535",
                request("x", null, null, List.of(), Map.of(MTU, "99999999999999999999")));
        assertInvalid("invalid value \"1279\" for option " + MTU + ": an IPv6 network needs an MTU of at least 1280",
                request("x", null, true, List.of(), Map.of(MTU, "1279")));
        f.service.create(request("v4small", null, null, List.of(), Map.of(MTU, "1000")));
        f.service.create(request("v6ok", null, true, List.of(), Map.of(MTU, "1280")));
        f.service.create(request("dflt", null, true, List.of(), Map.of(MTU, "0")));
        assertEquals(List.of("ensure v4small", "ensure v6ok", "ensure dflt"), f.bridge.calls);
    }

    @Test
    void unusableSubnetsAreRefusedWithMobysWords() {
        assertSubnet("::1/128", "loopback subnet '::1/128' is not allowed");
        assertSubnet("::/64", "loopback subnet '::/64' is not allowed");
        assertSubnet("::/128", "unspecified subnet '::/128' is not allowed");
        assertSubnet("ff00::/8", "multicast subnet 'ff00::/8' is not allowed");
        assertSubnet("ff02::/64", "multicast subnet 'ff02::/64' is not allowed");
        assertSubnet("fe80::/48", "'fe80::/48' clashes with the Link-Local prefix 'fe80::/64'");
        assertSubnet("fe80::/80", "'fe80::/80' clashes with the Link-Local prefix 'fe80::/64'");
        assertSubnet("127.0.0.0/8", "loopback subnet '127.0.0.0/8' is not allowed");
        assertSubnet("224.1.0.0/16", "multicast subnet '224.1.0.0/16' is not allowed");
        f.service.create(request("ll", null, true, List.of(PoolRequest.subnet("fe80::/64")), Map.of()));
        assertEquals(List.of("ensure ll"), f.bridge.calls);
    }

    @Test
    void namesLabelsAndOptionsAreBounded() {
        assertInvalid("invalid network name: it is 256 characters long, at most 255 are allowed",
                CreateNetwork.named("n".repeat(256)));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 257; i++) {
            many.put("k" + i, "v");
        }
        assertInvalid("invalid labels: 257 given, at most 256 are allowed",
                new CreateNetwork("x", null, null, null, null, null, null, null, Map.of(), many));
        assertInvalid("invalid options: 257 given, at most 256 are allowed",
                new CreateNetwork("x", null, null, null, null, null, null, null, many, Map.of()));
        assertInvalid("invalid labels: a key is 1025 characters long, at most 1024 are allowed",
                new CreateNetwork("x", null, null, null, null, null, null, null, Map.of(), Map.of("k".repeat(1025), "")));
        assertInvalid("invalid labels: the value of k is 4097 characters long, at most 4096 are allowed",
                new CreateNetwork("x", null, null, null, null, null, null, null, Map.of(), Map.of("k", "v".repeat(4097))));
        assertInvalid("invalid auxiliary addresses: 257 given, at most 256 are allowed",
                Fixture.withPools("x", new PoolRequest("10.1.0.0/16", null, null, many)));
        f.service.create(CreateNetwork.named("n".repeat(255)));
        assertEquals(1, f.bridge.calls.size());
    }

    private void assertSubnet(String subnet, String why) {
        assertInvalid("invalid network config:\ninvalid subnet " + subnet + ": " + why,
                subnet.contains(":") ? request("x", null, true, List.of(PoolRequest.subnet(subnet)), Map.of())
                        : Fixture.withPools("x", PoolRequest.subnet(subnet)));
    }

    private void assertInvalid(String message, CreateNetwork request) {
        int stored = f.store.networks.size();
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> f.service.create(request));
        assertEquals(message, e.getMessage());
        assertEquals(stored, f.store.networks.size());
    }
}
