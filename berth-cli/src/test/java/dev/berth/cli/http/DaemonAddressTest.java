package dev.berth.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonAddressTest {

    @Test
    void flagWinsOverEnvironmentWhichWinsOverDefault() {
        Map<String, String> env = Map.of("BERTH_HOST", "unix:///env.sock", "DOCKER_HOST", "unix:///docker.sock");
        assertEquals(Path.of("/flag.sock"), DaemonAddress.resolve("unix:///flag.sock", env).socket());
        assertEquals(Path.of("/env.sock"), DaemonAddress.resolve(null, env).socket());
        assertEquals("unix:///env.sock", DaemonAddress.resolve("", env).uri());
        assertEquals(Path.of("/run/berth/berth.sock"), DaemonAddress.resolve(null, Map.of("DOCKER_HOST", "unix:///d.sock")).socket());
        assertEquals("unix:///run/berth/berth.sock", DaemonAddress.resolve(null, Map.of()).uri());
    }

    @Test
    void onlyUnixSockets() {
        assertThrows(IllegalArgumentException.class, () -> DaemonAddress.resolve("tcp://1.2.3.4:2375", Map.of()));
    }

    @Test
    void versionNegotiationLikeDocker() {
        assertEquals("1.50", EngineClient.negotiate("1.50"));
        assertEquals("1.50", EngineClient.negotiate("1.52"));
        assertEquals("1.43", EngineClient.negotiate("1.43"));
        assertEquals("1.9", EngineClient.negotiate("1.9"));
        assertEquals("1.24", EngineClient.negotiate(""));
        assertEquals("1.24", EngineClient.negotiate(null));
    }
}
