package dev.berth.daemon.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.errors.InvalidParameterException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    @Test
    void dockerHubNamesAreOneName() {
        for (String name : new String[] {"busybox", "busybox:latest", "docker.io/library/busybox:latest",
                "library/busybox", "index.docker.io/library/busybox"}) {
            ImageReference ref = ImageReference.parse(name);
            assertEquals("busybox:latest", ref.repoTag(), name);
            assertEquals("docker.io", ref.domain());
            assertEquals("library/busybox", ref.path());
        }
        assertEquals("user/app:1", ImageReference.parse("docker.io/user/app:1").repoTag());
    }

    @Test
    void registriesWithPortsAndDigests() {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/busybox:v1");
        assertEquals("127.0.0.1:5000", ref.domain());
        assertEquals("127.0.0.1:5000/busybox:v1", ref.repoTag());
        assertEquals("localhost/x:latest", ImageReference.parse("localhost/x").repoTag());
        String digest = "sha256:" + "a".repeat(64);
        ImageReference pinned = ImageReference.parse("busybox@" + digest);
        assertEquals(Optional.of("busybox@" + digest), pinned.repoDigest());
        assertEquals("mybox:1", ImageReference.parse("mybox", "1").repoTag());
    }

    @Test
    void badNamesAreRefusedWithMobysWords() {
        assertEquals("invalid reference format: repository name (library/BusyBox) must be lowercase",
                assertThrows(InvalidParameterException.class, () -> ImageReference.parse("BusyBox")).getMessage());
        for (String bad : new String[] {"", "a:b:c", "busybox:", "-x", "a//b", "busybox@sha256:123", "x:" + "t".repeat(200)}) {
            assertThrows(InvalidParameterException.class, () -> ImageReference.parse(bad), bad);
        }
        assertThrows(InvalidParameterException.class, () -> ImageReference.parse("a".repeat(64)));
    }
}
