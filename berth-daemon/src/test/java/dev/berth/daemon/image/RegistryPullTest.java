package dev.berth.daemon.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.errors.BerthException;
import dev.berth.daemon.image.registry.FakeRegistry;
import dev.berth.daemon.image.registry.Manifests;
import dev.berth.daemon.image.registry.Platform;
import dev.berth.daemon.image.registry.RegistryClient;
import dev.berth.daemon.image.registry.RegistryTimeouts;
import dev.berth.daemon.image.registry.RegistryTrust;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pull into a real store from a registry double: moby's progress lines, and nothing half-made on failure. */
class RegistryPullTest {
    @TempDir
    Path dir;
    private DiskImageStore store;
    private final FakeRegistry registry = new FakeRegistry();
    private RegistryPull pull;
    private final List<String> lines = new ArrayList<>();
    private final RegistryPull.Progress progress = new RegistryPull.Progress() {
        @Override
        public void status(String id, String status) {
            lines.add(id.isEmpty() ? status : id + ": " + status);
        }

        @Override
        public void progress(String id, String status, long current, long total) {
            lines.add(id + ": " + status + " " + current + "/" + total);
        }
    };

    private byte[] bottom;
    private byte[] top;
    private byte[] config;
    private String manifestDigest;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "unpacking sets owners");
        store = DiskImageStore.open(dir.resolve("data"), dir.resolve("exec"), Clock.systemUTC());
        pull = new RegistryPull(store, RegistryClient.create(new RegistryTimeouts(Duration.ofSeconds(10),
                Duration.ofMillis(300), Duration.ofSeconds(2)), RegistryTrust.none()));
        byte[] bottomTar = Layers.tar("bin/busybox", "x", "bin/sh", "->busybox");
        byte[] topTar = Layers.tar("etc/motd", "hi");
        bottom = Layers.gzip(bottomTar);
        top = Layers.gzip(topTar);
        config = Layers.config(List.of(Layers.sha256(bottomTar), Layers.sha256(topTar)));
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifests.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + Manifests.DOCKER_CONFIG + "\",\"digest\":\"" + Layers.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[" + layer(bottom) + "," + layer(top) + "]}").getBytes(StandardCharsets.UTF_8);
        manifestDigest = Layers.sha256(manifest);
        registry.put("/v2/app/manifests/latest", FakeRegistry.Reply.of(Manifests.DOCKER_MANIFEST, manifest));
        registry.put("/v2/app/blobs/" + Layers.sha256(config), FakeRegistry.Reply.of("application/octet-stream", config));
        registry.put("/v2/app/blobs/" + Layers.sha256(bottom), FakeRegistry.Reply.of("application/octet-stream", bottom));
        registry.put("/v2/app/blobs/" + Layers.sha256(top), FakeRegistry.Reply.of("application/octet-stream", top));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private static String layer(byte[] blob) {
        return "{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"" + Layers.sha256(blob)
                + "\",\"size\":" + blob.length + "}";
    }

    private static String id12(byte[] blob) {
        return Layers.sha256(blob).substring(7, 19);
    }

    private List<String> files(String sub) throws IOException {
        try (Stream<Path> list = Files.list(dir.resolve("data/image").resolve(sub))) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private StoredImage pullApp() {
        return pull.pull(pull.resolve(ImageReference.parse(registry.domain() + "/app"), Platform.host()), progress);
    }

    @Test
    void aPullSaysWhatMobySaysAndASecondIsUpToDate() {
        StoredImage image = pullApp();
        String name = registry.domain() + "/app";
        assertEquals(Layers.sha256(config), image.id());
        assertEquals(List.of(name + ":latest"), image.repoTags());
        assertEquals(List.of(name + "@" + manifestDigest), image.repoDigests());
        assertEquals(List.of("latest: Pulling from app",
                id12(bottom) + ": Pulling fs layer", id12(top) + ": Pulling fs layer",
                id12(bottom) + ": Downloading 0/" + bottom.length, id12(bottom) + ": Verifying Checksum",
                id12(bottom) + ": Download complete",
                id12(top) + ": Downloading 0/" + top.length, id12(top) + ": Verifying Checksum",
                id12(top) + ": Download complete",
                id12(bottom) + ": Pull complete", id12(top) + ": Pull complete",
                "Digest: " + manifestDigest, "Status: Downloaded newer image for " + name + ":latest"),
                lines.stream().map(l -> l.replaceAll("Downloading \\d+/", "Downloading 0/")).toList());

        lines.clear();
        pullApp();
        assertEquals(List.of("latest: Pulling from app", "Digest: " + manifestDigest,
                "Status: Image is up to date for " + name + ":latest"), lines);
    }

    @Test
    void aLayerThatFailsLeavesNoImageNoLayerAndNoStaging() throws IOException {
        byte[] bad = top.clone();
        bad[bad.length / 2] ^= 1;
        registry.put("/v2/app/blobs/" + Layers.sha256(top), FakeRegistry.Reply.of("application/octet-stream", bad));
        BerthException mismatch = assertThrows(BerthException.class, this::pullApp);
        assertEquals("filesystem layer verification failed for digest " + Layers.sha256(top), mismatch.getMessage());
        assertEquals(List.of(), store.list());
        assertEquals(List.of(), files("layers"), "the bottom layer, fetched fine, is not kept either");
        assertEquals(List.of(), files("tmp"));
        assertEquals(List.of(), files("blobs/sha256"));

        registry.put("/v2/app/blobs/" + Layers.sha256(top), FakeRegistry.Reply.cut(top, top.length / 2));
        assertThrows(BerthException.class, this::pullApp);
        assertEquals(List.of(), store.list());
        assertEquals(List.of(), files("layers"));
        assertEquals(List.of(), files("tmp"));
        assertTrue(lines.stream().noneMatch(l -> l.contains("Pull complete")), lines::toString);
    }
}
