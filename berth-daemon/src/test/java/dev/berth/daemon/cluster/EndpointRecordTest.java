package dev.berth.daemon.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.RemoteEndpoint;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointRecordTest {
    private static final NetworkId NET = new NetworkId("ab".repeat(32));
    private static final SandboxId BOX = new SandboxId("cd".repeat(32));
    private static final EndpointId EP = new EndpointId("ef".repeat(32));

    @Test
    void anEndpointComesBackAsTheRemoteEndpointOtherHostsSee() {
        Sandbox sandbox = new Sandbox(BOX, "c1", "c1", "/run/netns/x", Instant.EPOCH, "ov1");
        Endpoint endpoint = new Endpoint(EP, NET, BOX, "eth0", "veth1234567", "02:42:0a:0a:00:02",
                IpPrefix.parse("10.10.0.2/24"), IpPrefix.parse("fd00:10::2/64"), List.of("web"), Endpoint.Requested.NONE);
        byte[] value = EndpointRecord.encode("engine-1", IpAddresses.parse("198.51.100.11"), sandbox, endpoint);
        assertEquals(new RemoteEndpoint(NET, EP, BOX, "c1", "02:42:0a:0a:00:02", IpPrefix.parse("10.10.0.2/24"),
                IpPrefix.parse("fd00:10::2/64"), List.of("web"), "engine-1", IpAddresses.parse("198.51.100.11")),
                EndpointRecord.decode(value));
        assertEquals("/berth/v1/endpoints/" + NET.value() + "/" + EP.value(), ClusterKeys.endpoint(NET, EP));
        assertEquals("/berth/v1/subnets/10.10.0.0_24", ClusterKeys.subnet(IpPrefix.parse("10.10.0.7/24")));
    }

    @Test
    void whatIsNotOneOfOursIsRefusedWithAReason() {
        for (String bad : List.of("not json", "{}", "{\"v\":2}", "{\"v\":1,\"network\":\"x\"}",
                "{\"v\":1,\"host\":\"h\",\"vtep\":\"198.51.100.1\",\"network\":\"" + NET.value() + "\",\"endpoint\":\""
                        + EP.value() + "\",\"sandbox\":\"" + BOX.value() + "\",\"name\":\"c\",\"mac\":\"zz\"}",
                "{\"v\":1,\"host\":\"h\",\"vtep\":\"nope\",\"network\":\"" + NET.value() + "\",\"endpoint\":\""
                        + EP.value() + "\",\"sandbox\":\"" + BOX.value() + "\",\"name\":\"c\",\"mac\":\"02:42:0a:0a:00:02\"}")) {
            assertThrows(IllegalArgumentException.class,
                    () -> EndpointRecord.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }
}
