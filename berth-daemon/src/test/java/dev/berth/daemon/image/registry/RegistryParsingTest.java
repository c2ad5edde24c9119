package dev.berth.daemon.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoints, auth challenges, manifest parsing, the platform choice and the digest check, without a network. */
class RegistryParsingTest {
    static final String A = "sha256:" + "a".repeat(64);
    static final String B = "sha256:" + "b".repeat(64);
    static final String C = "sha256:" + "c".repeat(64);

    @Test
    void dockerHubIsHttpsOnRegistry1AndLoopbackRegistriesAreInsecureWithAPlainHttpFallback() {
        RegistryEndpoint hub = RegistryEndpoint.of("docker.io");
        assertEquals("https://registry-1.docker.io", hub.base().toString());
        assertFalse(hub.insecure());
        assertNull(hub.fallback());
        for (String loopback : List.of("localhost:5000", "127.0.0.1:5000", "127.3.2.1:80", "[::1]:5000", "localhost")) {
            RegistryEndpoint e = RegistryEndpoint.of(loopback);
            assertEquals("https://" + loopback, e.base().toString(), loopback);
            assertTrue(e.insecure(), loopback);
            assertEquals("http://" + loopback, e.fallback().toString(), loopback);
            assertEquals("http://" + loopback, e.plain().base().toString(), loopback);
        }
        for (String remote : List.of("10.0.0.1:5000", "registry.example.com", "localhost.example.com:5000", "[2001:db8::1]:5000")) {
            RegistryEndpoint e = RegistryEndpoint.of(remote);
            assertEquals("https://" + remote, e.base().toString(), remote);
            assertFalse(e.insecure(), remote);
            assertNull(e.fallback(), remote);
        }
        assertEquals("http://127.0.0.1:5000/v2/library/busybox/manifests/latest",
                RegistryEndpoint.of("127.0.0.1:5000").plain().v2("library/busybox/manifests/latest").toString());
    }

    @Test
    void bearerChallengesAreParsedAsDockerHubSendsThem() {
        AuthChallenge hub = AuthChallenge.bearer(List.of("Bearer realm=\"https://auth.docker.io/token\","
                + "service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"")).orElseThrow();
        assertEquals("bearer", hub.scheme());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/busybox:pull"), hub.parameters());

        List<AuthChallenge> two = AuthChallenge.parse(List.of("Basic realm=\"x\", Bearer realm=\"https://t/\",  error=invalid_token"));
        assertEquals(2, two.size(), two::toString);
        assertEquals("basic", two.get(0).scheme());
        assertEquals("invalid_token", two.get(1).parameters().get("error"));
        assertTrue(AuthChallenge.bearer(List.of("Basic realm=\"registry\"")).isEmpty());
        assertTrue(AuthChallenge.bearer(List.of("Bearer service=\"no realm\"")).isEmpty());
    }

    @Test
    void imageManifestsOfBothFormatsAreParsed() {
        Manifests.Image docker = (Manifests.Image) Manifests.parse(("{\"schemaVersion\":2,\"mediaType\":\""
                + Manifests.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\"" + Manifests.DOCKER_CONFIG
                + "\",\"digest\":\"" + A + "\",\"size\":10},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\""
                + B + "\",\"size\":20}]}").getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(A, docker.config().digest());
        assertEquals(List.of(B), docker.layers().stream().map(Manifests.Descriptor::digest).toList());

        // OCI without mediaType in the body: the Content-Type, else the fields decide
        Manifests.Image oci = (Manifests.Image) Manifests.parse(("{\"schemaVersion\":2,\"config\":{\"mediaType\":\""
                + Manifests.OCI_CONFIG + "\",\"digest\":\"" + A + "\",\"size\":10},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8), "");
        assertEquals(Manifests.OCI_MANIFEST, oci.mediaType());
    }

    @Test
    void badManifestsAreRefusedWithAReason() {
        InvalidParameterException schema1 = assertThrows(InvalidParameterException.class, () -> Manifests.parse(
                "{\"schemaVersion\":1,\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8), ""));
        assertTrue(schema1.getMessage().contains("schema 1 support has been removed"), schema1.getMessage());
        InvalidParameterException digest = assertThrows(InvalidParameterException.class, () -> Manifests.parse(
                ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifests.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                        + Manifests.OCI_CONFIG + "\",\"digest\":\"sha256:xyz\",\"size\":1}}").getBytes(StandardCharsets.UTF_8), ""));
        assertTrue(digest.getMessage().contains("sha256:xyz"), digest.getMessage());
        InvalidParameterException helm = assertThrows(InvalidParameterException.class, () -> Manifests.parse(
                ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifests.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                        + "\"application/vnd.cncf.helm.config.v1+json\",\"digest\":\"" + A + "\",\"size\":1}}")
                        .getBytes(StandardCharsets.UTF_8), ""));
        assertEquals("Encountered remote \"application/vnd.cncf.helm.config.v1+json\"(unknown) when fetching", helm.getMessage());
        assertThrows(InvalidParameterException.class, () -> Manifests.parse("[]".getBytes(StandardCharsets.UTF_8), ""));
        assertThrows(InvalidParameterException.class, () -> Manifests.parse("{".getBytes(StandardCharsets.UTF_8), ""));
    }

    @Test
    void anIndexGivesTheEntryOfThePlatformAndSkipsAttestations() {
        Manifests.Index index = (Manifests.Index) Manifests.parse(("{\"schemaVersion\":2,\"mediaType\":\""
                + Manifests.OCI_INDEX + "\",\"manifests\":["
                + entry(A, "arm64", "v8") + "," + entry(B, "unknown", "") + "," + entry(C, "amd64", "") + "]}")
                .getBytes(StandardCharsets.UTF_8), "");
        assertEquals(C, Manifests.require(index, new Platform("linux", "amd64", "")).digest());
        assertEquals(A, Manifests.require(index, Platform.parse("linux/arm64")).digest());
        assertEquals(A, Manifests.require(index, Platform.parse("linux/arm64/v8")).digest());
        NotFoundException none = assertThrows(NotFoundException.class,
                () -> Manifests.require(index, Platform.parse("linux/s390x")));
        assertEquals("no matching manifest for linux/s390x in the manifest list entries", none.getMessage());
        assertEquals("linux/amd64", Platform.host().toString());
    }

    private static String entry(String digest, String arch, String variant) {
        return "{\"mediaType\":\"" + Manifests.OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":5,"
                + "\"platform\":{\"os\":\"" + (arch.equals("unknown") ? "unknown" : "linux") + "\",\"architecture\":\""
                + arch + "\"" + (variant.isEmpty() ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
    }

    @Test
    void aBlobMustHashToItsDigestAndHaveItsSize() throws IOException {
        byte[] content = "layer bytes".getBytes(StandardCharsets.UTF_8);
        String digest = VerifyingInputStream.sha256(content);
        String failure = "filesystem layer verification failed for digest";
        try (VerifyingInputStream ok = new VerifyingInputStream(new ByteArrayInputStream(content), digest, content.length, failure)) {
            assertEquals("layer bytes", new String(ok.readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(ok.verified());
        }
        byte[] tampered = content.clone();
        tampered[0] ^= 1;
        IOException mismatch = assertThrows(IOException.class, () -> readAll(new VerifyingInputStream(
                new ByteArrayInputStream(tampered), digest, content.length, failure)));
        assertEquals(failure + " " + digest, mismatch.getMessage());
        IOException truncated = assertThrows(IOException.class, () -> readAll(new VerifyingInputStream(
                new ByteArrayInputStream(content, 0, 5), digest, content.length, failure)));
        assertTrue(truncated.getMessage().endsWith("5 of 11 bytes arrived (truncated)"), truncated.getMessage());
        VerifyingInputStream longer = new VerifyingInputStream(new ByteArrayInputStream(content), digest, 4, failure);
        assertThrows(VerifyingInputStream.VerificationException.class, () -> readAll(longer));
        assertFalse(longer.verified());
    }

    private static void readAll(InputStream in) throws IOException {
        try (in) {
            in.readAllBytes();
        }
    }
}
