package dev.berth.daemon.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a registry double on loopback: Accept list, index choice, token flow, redirects, errors. */
class RemoteRepositoryTest {
    private final FakeRegistry registry = new FakeRegistry();
    private final RegistryClient client = RegistryClient.create(
            new RegistryTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300), Duration.ofMillis(500)),
            RegistryTrust.none());

    private final byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
            .getBytes(StandardCharsets.UTF_8);
    private final byte[] layer = "pretend this is a gzip layer".getBytes(StandardCharsets.UTF_8);
    private final String configDigest = VerifyingInputStream.sha256(config);
    private final String layerDigest = VerifyingInputStream.sha256(layer);
    private final byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifests.DOCKER_MANIFEST
            + "\",\"config\":{\"mediaType\":\"" + Manifests.DOCKER_CONFIG + "\",\"digest\":\"" + configDigest
            + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
            + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    private final String manifestDigest = VerifyingInputStream.sha256(manifest);

    @AfterEach
    void stop() {
        registry.close();
    }

    private void serveImage(String repo) {
        registry.put("/v2/" + repo + "/manifests/latest", FakeRegistry.Reply.of(Manifests.DOCKER_MANIFEST, manifest));
        registry.put("/v2/" + repo + "/manifests/" + manifestDigest, FakeRegistry.Reply.of(Manifests.DOCKER_MANIFEST, manifest));
        registry.put("/v2/" + repo + "/blobs/" + configDigest, FakeRegistry.Reply.of("application/octet-stream", config));
        registry.put("/v2/" + repo + "/blobs/" + layerDigest, FakeRegistry.Reply.of("application/octet-stream", layer));
    }

    @Test
    void aTagResolvesWithEveryManifestTypeAcceptedAndBlobsArriveVerified() throws IOException {
        serveImage("library/busybox");
        RemoteRepository repo = client.open(registry.domain(), "library/busybox", registry.domain() + "/busybox");
        RemoteRepository.Resolved resolved = repo.resolve("latest", Platform.host());
        assertEquals(manifestDigest, resolved.digest());
        assertEquals(manifestDigest, resolved.manifestDigest());
        assertNull(resolved.platform());
        assertArrayEquals(config, repo.config(resolved.image().config()));
        try (VerifyingInputStream in = repo.layer(resolved.image().layers().getFirst())) {
            assertArrayEquals(layer, in.readAllBytes());
            assertTrue(in.verified());
        }
        assertEquals("/v2/", registry.seen.getFirst().path(), "dockerd pings /v2/ first");
        FakeRegistry.Seen get = registry.seen.stream().filter(s -> s.path().endsWith("/manifests/latest")).findFirst().orElseThrow();
        String accept = String.join(",", get.accept());
        for (String type : Manifests.ACCEPT) {
            assertTrue(accept.contains(type), accept);
        }
    }

    @Test
    void anIndexIsNarrowedToTheHostPlatformAndItsDigestIsTheOneReported() {
        serveImage("multi");
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifests.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + Manifests.DOCKER_MANIFEST + "\",\"digest\":\"sha256:" + "e".repeat(64)
                + "\",\"size\":7,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
                + "{\"mediaType\":\"" + Manifests.DOCKER_MANIFEST + "\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                + manifest.length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}").getBytes(StandardCharsets.UTF_8);
        registry.put("/v2/multi/manifests/v1", FakeRegistry.Reply.of(Manifests.OCI_INDEX, index));
        RemoteRepository.Resolved resolved = client.open(registry.domain(), "multi", registry.domain() + "/multi")
                .resolve("v1", Platform.host());
        assertEquals(VerifyingInputStream.sha256(index), resolved.digest());
        assertEquals(manifestDigest, resolved.manifestDigest());
        assertEquals("amd64", resolved.platform().architecture());
        assertTrue(registry.seen.stream().noneMatch(s -> s.path().contains("e".repeat(64))), "the arm64 manifest is not fetched");
        NotFoundException none = assertThrows(NotFoundException.class, () -> client.open(registry.domain(), "multi", "m")
                .resolve("v1", Platform.parse("linux/ppc64le")));
        assertEquals("no matching manifest for linux/ppc64le in the manifest list entries", none.getMessage());
    }

    @Test
    void theAnonymousBearerTokenFlowFetchesATokenForThePullScope() {
        serveImage("library/busybox");
        registry.realm = "http://" + registry.domain() + "/token";
        registry.requiredToken = "t0ken";
        registry.put("/token", FakeRegistry.Reply.json(200, "{\"token\":\"t0ken\",\"expires_in\":300}"));
        RemoteRepository repo = client.open(registry.domain(), "library/busybox", "busybox");
        RemoteRepository.Resolved resolved = repo.resolve("latest", Platform.host());
        assertArrayEquals(config, repo.config(resolved.image().config()));
        List<FakeRegistry.Seen> tokens = registry.seen.stream().filter(s -> s.path().equals("/token")).toList();
        assertEquals(1, tokens.size(), "one token for the whole pull: " + registry.seen);
        assertEquals("service=fake-registry&scope=repository%3Alibrary%2Fbusybox%3Apull", tokens.getFirst().query());
        assertTrue(registry.seen.stream().filter(s -> s.path().contains("/manifests/") || s.path().contains("/blobs/"))
                .allMatch(s -> "Bearer t0ken".equals(s.authorization())), registry.seen::toString);
    }

    @Test
    void aRefusedTokenIsAClearError() {
        registry.realm = "http://" + registry.domain() + "/token";
        registry.requiredToken = "t0ken";
        registry.put("/token", FakeRegistry.Reply.json(403, "{\"details\":\"no\"}"));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> client.open(registry.domain(), "x", "x").resolve("latest", Platform.host()));
        assertTrue(e.getMessage().contains("token server answered 403"), e.getMessage());
    }

    @Test
    void blobsFollowRedirectsAndTheTokenStaysWithTheRegistry() throws IOException {
        serveImage("library/busybox");
        try (FakeRegistry storage = new FakeRegistry()) {
            storage.put("/bucket/layer", FakeRegistry.Reply.of("application/octet-stream", layer));
            registry.put("/v2/library/busybox/blobs/" + layerDigest, new FakeRegistry.Reply(307,
                    Map.of("Location", "http://" + storage.domain() + "/bucket/layer"), new byte[0]));
            registry.realm = "http://" + registry.domain() + "/token";
            registry.requiredToken = "t0ken";
            registry.put("/token", FakeRegistry.Reply.json(200, "{\"access_token\":\"t0ken\"}"));
            RemoteRepository repo = client.open(registry.domain(), "library/busybox", "busybox");
            RemoteRepository.Resolved resolved = repo.resolve("latest", Platform.host());
            try (InputStream in = repo.layer(resolved.image().layers().getFirst())) {
                assertArrayEquals(layer, in.readAllBytes());
            }
            assertEquals(1, storage.seen.size());
            assertNull(storage.seen.getFirst().authorization(), "no credentials to another host");
        }
    }

    @Test
    void aTamperedBlobFailsAtItsEndWithMobysWords() {
        serveImage("library/busybox");
        byte[] evil = layer.clone();
        evil[3] ^= 0x20;
        registry.put("/v2/library/busybox/blobs/" + layerDigest, FakeRegistry.Reply.of("application/octet-stream", evil));
        RemoteRepository repo = client.open(registry.domain(), "library/busybox", "busybox");
        RemoteRepository.Resolved resolved = repo.resolve("latest", Platform.host());
        IOException e = assertThrows(IOException.class, () -> {
            try (InputStream in = repo.layer(resolved.image().layers().getFirst())) {
                in.readAllBytes();
            }
        });
        assertEquals("filesystem layer verification failed for digest " + layerDigest, e.getMessage());

        byte[] badConfig = config.clone();
        badConfig[0] = ' ';
        registry.put("/v2/library/busybox/blobs/" + configDigest, FakeRegistry.Reply.of("application/octet-stream", badConfig));
        InternalException c = assertThrows(InternalException.class, () -> repo.config(resolved.image().config()));
        assertEquals("image config verification failed for digest " + configDigest, c.getMessage());
    }

    @Test
    void aRegistryGoneMidBlobIsAnErrorNotAShortBlob() {
        serveImage("library/busybox");
        registry.put("/v2/library/busybox/blobs/" + layerDigest, FakeRegistry.Reply.cut(layer, 5));
        RemoteRepository repo = client.open(registry.domain(), "library/busybox", "busybox");
        RemoteRepository.Resolved resolved = repo.resolve("latest", Platform.host());
        IOException e = assertThrows(IOException.class, () -> {
            try (InputStream in = repo.layer(resolved.image().layers().getFirst())) {
                in.readAllBytes();
            }
        });
        assertTrue(e.getMessage().contains("the registry sent nothing for"), e.getMessage());
    }

    @Test
    void aManifestFetchedByDigestMustHashToIt() {
        byte[] other = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        registry.put("/v2/x/manifests/" + manifestDigest, FakeRegistry.Reply.of(Manifests.DOCKER_MANIFEST, other));
        InternalException e = assertThrows(InternalException.class,
                () -> client.open(registry.domain(), "x", "x").resolve(manifestDigest, Platform.host()));
        assertEquals("manifest verification failed for digest " + manifestDigest, e.getMessage());
    }

    @Test
    void aMissingTagAndAMissingRepositoryAreMobysNotFoundErrors() {
        String name = registry.domain() + "/x";
        NotFoundException tag = assertThrows(NotFoundException.class,
                () -> client.open(registry.domain(), "x", name).resolve("latest", Platform.host()));
        assertEquals("manifest for " + name + ":latest not found: manifest unknown: manifest unknown", tag.getMessage());
        registry.put("/v2/y/manifests/latest", FakeRegistry.Reply.json(404,
                "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}"));
        NotFoundException repo = assertThrows(NotFoundException.class,
                () -> client.open(registry.domain(), "y", "127.0.0.1/y").resolve("latest", Platform.host()));
        assertEquals("repository 127.0.0.1/y not found: name unknown: repository name not known to registry", repo.getMessage());
    }

    @Test
    void noRegistryListeningIsGosConnectionRefused() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        InternalException e = assertThrows(InternalException.class,
                () -> client.open("127.0.0.1:" + port, "x", "x").resolve("latest", Platform.host()));
        assertEquals("Get \"http://127.0.0.1:" + port + "/v2/\": dial tcp 127.0.0.1:" + port + ": connect: connection refused",
                e.getMessage());
    }
}
