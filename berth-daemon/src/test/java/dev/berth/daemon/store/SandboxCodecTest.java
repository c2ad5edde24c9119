package dev.berth.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.model.SandboxId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxCodecTest {
    private static final SandboxId ID = new SandboxId("a".repeat(64));
    private final SandboxCodec codec = new SandboxCodec();

    /** Every field set to something other than its default. */
    static ContainerConfig full() {
        return new ContainerConfig("127.0.0.1:5000/busybox:1", "sha256:" + "b".repeat(64), List.of("/bin/sh", "-c"),
                List.of("echo hi"), List.of("A=1", "PATH=/bin"), "/work", "1000:1000", true, true, true,
                List.of(new ContainerConfig.Mount("bind", "/srv", "/data", true, List.of("rshared")),
                        new ContainerConfig.Mount("tmpfs", "", "/run", false, List.of("size=65536k", "mode=1777"))),
                true, new ContainerConfig.Resources(64L << 20, 1_500_000_000L, 100, 50_000, 100_000),
                List.of("NET_ADMIN"), List.of("CAP_CHOWN"), true, new ContainerConfig.RestartPolicy("on-failure", 3),
                "SIGUSR1", 3, Map.of("a", "b", "c", ""), new ContainerConfig.LogOptions(10_000_000, 3),
                new ContainerConfig.Shown("example.org", List.of("80/tcp"), true, true, false, List.of(30, 100),
                        List.of("/srv:/data:ro,rshared"), Map.of("/run", "size=64m"), "k8s-file",
                        Map.of("max-size", "10m", "max-file", "3")));
    }

    @Test
    void aContainersCommandAndRunStateRoundTrip() {
        SandboxCommand command = new SandboxCommand(ID, full().argv(), false, full(), true, 7);
        assertEquals(command, codec.decodeCommand(codec.encode(command)));
        SandboxCommand defaults = new SandboxCommand(ID, List.of("sh"), true, new ContainerConfig("busybox",
                "sha256:" + "c".repeat(64), List.of(), List.of("sh"), List.of(), "", "", false, false, false, List.of(),
                false, null, List.of(), List.of(), false, null, null, null, Map.of(), null));
        assertEquals(defaults, codec.decodeCommand(codec.encode(defaults)));
    }

    @Test
    void aCommandStoredBeforeContainersReadsAsAHostBinarysNeverStopped() {
        SandboxCommand old = codec.decodeCommand("{\"v\":1,\"sandbox\":\"" + ID.value()
                + "\",\"autoRemove\":true,\"argv\":[\"sleep\",\"9\"]}");
        assertEquals(new SandboxCommand(ID, List.of("sleep", "9"), true), old);
        assertNull(old.container());
        assertEquals(0, old.restartCount());
    }

    @Test
    void anEndpointsRequestedSettingsRoundTripAndOldRecordsReadWithout() {
        dev.berth.core.model.Endpoint e = new dev.berth.core.model.Endpoint(
                new dev.berth.core.model.EndpointId("e".repeat(64)), new dev.berth.core.model.NetworkId("f".repeat(64)),
                ID, "eth1", "veth1234567", "02:42:ac:11:00:02", dev.berth.core.model.IpPrefix.parse("10.10.0.2/24"),
                null, List.of("a1"), new dev.berth.core.model.Endpoint.Requested("10.10.0.2", "", "", 5,
                        List.of("db1:db"), List.of("169.254.7.7", "fe80::7"), Map.of("com.example.x", "y")));
        assertEquals(e, codec.decodeEndpoint(codec.encode(e)));
        String old = codec.encode(e).replaceAll(",\"links\":\\[[^]]*\\]", "")
                .replaceAll(",\"linkLocalIps\":\\[[^]]*\\]", "").replaceAll(",\"driverOpts\":\\{[^}]*\\}", "");
        dev.berth.core.model.Endpoint.Requested read = codec.decodeEndpoint(old).requested();
        assertEquals(new dev.berth.core.model.Endpoint.Requested("10.10.0.2", "", "", 5), read, old);
    }
}
