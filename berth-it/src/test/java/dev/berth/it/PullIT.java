package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.BusyboxImages;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Dirs;
import dev.berth.it.fixture.Registry;
import dev.berth.it.fixture.RegistryPush;
import dev.berth.it.fixture.RegistryPush.Format;
import dev.berth.it.fixture.RegistryPush.PlatformImage;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code docker pull} with the real docker CLI from a real registry (Debian's docker-registry,
 * in the daemon's namespace on 127.0.0.1:5000, plain HTTP as dockerd uses for loopback registries):
 * the image arrives with its tag, id and digest, layers are unpacked once, an index gives the
 * amd64 image, and a tampered blob or a missing tag fails with moby's words and leaves nothing in
 * the data root.
 */
@ExtendWith(TestbedExtension.class)
class PullIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path images(Testbed bed) {
        return bed.dir().resolve("data/image");
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }

    private static JsonNode inspect(Testbed bed, String name) throws IOException {
        return JSON.readTree(bed.docker().ok("image", "inspect", name).stdout()).get(0);
    }

    @Test
    void busyboxPullsWithItsDigestAndASecondPullIsUpToDate(Testbed bed) throws IOException {
        Registry registry = bed.registry();
        byte[] layer = BusyboxImages.busyboxLayer(bed.dir());
        RegistryPush.Pushed pushed = registry.push().image("busybox", "latest", Format.DOCKER, "amd64", List.of(layer));
        bed.daemon().withoutTestImages().start(); // the data root holds only what the pulls bring
        String name = registry.host() + "/busybox";

        CommandResult pull = bed.docker().ok("pull", name);
        assertTrue(pull.stdout().contains("latest: Pulling from busybox"), pull.describe());
        assertTrue(pull.stdout().contains(hex(pushed.layerDigests().getFirst()).substring(0, 12) + ": Pull complete"),
                pull.describe());
        assertTrue(pull.stdout().contains("Digest: " + pushed.digest()), pull.describe());
        assertTrue(pull.stdout().contains("Status: Downloaded newer image for " + name + ":latest"), pull.describe());
        assertTrue(pull.stdout().strip().endsWith(name + ":latest"), "the CLI prints the name last: " + pull.describe());

        String listed = bed.docker().ok("images", "--digests", "--no-trunc",
                "--format", "{{.Repository}} {{.Tag}} {{.Digest}} {{.ID}}").stdout().strip();
        assertEquals(name + " latest " + pushed.digest() + " " + pushed.configDigest(), listed);
        JsonNode image = inspect(bed, name);
        assertEquals(pushed.configDigest(), image.path("Id").asText());
        assertEquals(List.of(name + "@" + pushed.digest()), List.of(image.path("RepoDigests").get(0).asText()));
        assertEquals("amd64", image.path("Architecture").asText());
        assertEquals(pushed.diffIds(), List.of(image.path("RootFS").path("Layers").get(0).asText()));

        Path unpacked = images(bed).resolve("layers").resolve(hex(pushed.diffIds().getFirst())).resolve("diff");
        assertTrue(Files.isRegularFile(unpacked.resolve("bin/busybox")), "layer unpacked at " + unpacked);
        assertEquals("busybox", Files.readSymbolicLink(unpacked.resolve("bin/sh")).toString());
        assertEquals(List.of(), Dirs.names(images(bed).resolve("tmp")), "no staging left");

        CommandResult again = bed.docker().ok("pull", name + ":latest");
        assertTrue(again.stdout().contains("Status: Image is up to date for " + name + ":latest"), again.describe());
        assertFalse(again.stdout().contains("Pull complete"), again.describe());
        assertEquals(1, bed.docker().ok("images", "-q").lines().size());
    }

    @Test
    void anIndexPullsTheAmd64ImageAndAnOciManifestPullsByDigest(Testbed bed) throws IOException {
        Registry registry = bed.registry();
        RegistryPush push = registry.push();
        RegistryPush.Pushed amd64 = push.image("multi", "amd64", Format.OCI, "amd64",
                List.of(BusyboxImages.busyboxLayer(bed.dir())));
        RegistryPush.Pushed arm64 = push.image("multi", "arm64", Format.OCI, "arm64",
                List.of(BusyboxImages.fileLayer(bed.dir(), "arm64", "arm64\n")));
        RegistryPush.Pushed index = push.index("multi", "v1", Format.OCI, List.of(
                new PlatformImage("linux", "arm64", arm64), new PlatformImage("linux", "amd64", amd64)));
        bed.daemon().withoutTestImages().start(); // the data root holds only what the pulls bring
        String name = registry.host() + "/multi";

        CommandResult pull = bed.docker().ok("pull", name + ":v1");
        assertTrue(pull.stdout().contains("Digest: " + index.digest()), pull.describe());
        JsonNode image = inspect(bed, name + ":v1");
        assertEquals(amd64.configDigest(), image.path("Id").asText());
        assertEquals(name + "@" + index.digest(), image.path("RepoDigests").get(0).asText());
        assertEquals(List.of(hex(amd64.diffIds().getFirst())), Dirs.names(images(bed).resolve("layers")),
                "only the amd64 layer was fetched and unpacked");

        // --platform picks another entry of the index; the tag moves to it
        CommandResult other = bed.docker().ok("pull", "--platform", "linux/arm64", name + ":v1");
        assertTrue(other.stdout().contains("Status: Downloaded newer image for " + name + ":v1"), other.describe());
        assertEquals(arm64.configDigest(), inspect(bed, name + ":v1").path("Id").asText());
        assertEquals("arm64", inspect(bed, name + ":v1").path("Architecture").asText());

        // by digest: the arm64 manifest itself (an explicit digest is what the user asked for)
        CommandResult byDigest = bed.docker().ok("pull", name + "@" + arm64.digest());
        assertTrue(byDigest.stdout().contains(" for " + name + "@" + arm64.digest()), byDigest.describe());
        JsonNode arm = inspect(bed, name + "@" + arm64.digest());
        assertEquals(arm64.configDigest(), arm.path("Id").asText());
        assertEquals("arm64", arm.path("Architecture").asText());
        assertNotEquals(image.path("Id").asText(), arm.path("Id").asText());
        assertEquals(2, Dirs.names(images(bed).resolve("layers")).size(), "the amd64 and the arm64 layer");
    }

    @Test
    void aTamperedBlobFailsWithTheDigestErrorAndLeavesNothing(Testbed bed) throws IOException {
        Registry registry = bed.registry();
        RegistryPush.Pushed pushed = registry.push().image("busybox", "latest", Format.DOCKER, "amd64",
                List.of(BusyboxImages.busyboxLayer(bed.dir())));
        Path blob = registry.blobFile(pushed.layerDigests().getFirst());
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(blob, bytes); // same length: only the digest can tell
        bed.daemon().withoutTestImages().start(); // the data root holds only what the pulls bring
        List<String> before = Dirs.names(images(bed));

        CommandResult pull = bed.docker().run("pull", registry.host() + "/busybox");
        assertEquals(1, pull.exitCode(), pull.describe());
        assertTrue(pull.stderr().contains("filesystem layer verification failed for digest "
                + pushed.layerDigests().getFirst()), pull.describe());
        assertEquals("", bed.docker().ok("images", "-q").stdout().strip());
        assertEquals(before, Dirs.names(images(bed)));
        for (String dir : List.of("layers", "tmp", "blobs/sha256")) {
            assertEquals(List.of(), Dirs.names(images(bed).resolve(dir)), dir + " is empty");
        }

        // truncated: the registry now sends fewer bytes than the manifest says
        Files.write(blob, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        CommandResult truncated = bed.docker().run("pull", registry.host() + "/busybox");
        assertEquals(1, truncated.exitCode(), truncated.describe());
        assertTrue(truncated.stderr().contains(pushed.layerDigests().getFirst()), truncated.describe());
        for (String dir : List.of("layers", "tmp", "blobs/sha256")) {
            assertEquals(List.of(), Dirs.names(images(bed).resolve(dir)), dir + " is empty");
        }
    }

    @Test
    void aMissingTagOrRegistryIsMobysError(Testbed bed) {
        Registry registry = bed.registry();
        registry.push().image("busybox", "latest", Format.DOCKER, "amd64", List.of(BusyboxImages.fileLayer(bed.dir(), "a", "a\n")));
        bed.daemon().withoutTestImages().start(); // the data root holds only what the pulls bring

        CommandResult tag = bed.docker().run("pull", registry.host() + "/busybox:nope");
        assertEquals(1, tag.exitCode(), tag.describe());
        assertEquals("Error response from daemon: manifest for " + registry.host()
                + "/busybox:nope not found: manifest unknown: manifest unknown", tag.stderr().strip());

        CommandResult repo = bed.docker().run("pull", registry.host() + "/nothing");
        assertEquals(1, repo.exitCode(), repo.describe());
        assertTrue(repo.stderr().startsWith("Error response from daemon: manifest for " + registry.host()
                + "/nothing:latest not found: manifest unknown") || repo.stderr().contains("repository "
                + registry.host() + "/nothing not found: name unknown"), repo.describe());

        CommandResult refused = bed.docker().run("pull", "127.0.0.1:5999/busybox");
        assertEquals(1, refused.exitCode(), refused.describe());
        assertEquals("Error response from daemon: Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: "
                + "connect: connection refused", refused.stderr().strip());
        assertEquals("", bed.docker().ok("images", "-q").stdout().strip());
        assertEquals(List.of(), Dirs.names(images(bed).resolve("tmp")));
    }

    @Test
    void aRegistryWithTlsAndTokenAuthIsPulledFromAsDockerHubIs(Testbed bed) throws IOException {
        Registry registry = bed.secureRegistry();
        RegistryPush.Pushed pushed = registry.push().image("team/app", "1.0", Format.OCI, "amd64",
                List.of(BusyboxImages.fileLayer(bed.dir(), "hello", "hello\n")));
        String name = registry.host() + "/team/app:1.0";

        // HTTPS is verified: without the test CA in certs.d the registry is refused
        bed.daemon().withoutTestImages().start(); // the data root holds only what the pulls bring
        CommandResult untrusted = bed.docker().run("pull", name);
        assertEquals(1, untrusted.exitCode(), untrusted.describe());
        assertTrue(untrusted.stderr().contains("Get \"https://" + registry.host() + "/v2/\": tls: "), untrusted.describe());
        assertTrue(registry.tokens().requests.isEmpty());

        registry.trustIn(bed.daemon().configFile().getParent()); // read at every pull: no restart
        CommandResult pull = bed.docker().ok("pull", name);
        assertTrue(pull.stdout().contains("Status: Downloaded newer image for " + name), pull.describe());
        assertEquals(List.of("service=berth-test-registry&scope=repository%3Ateam%2Fapp%3Apull"),
                registry.tokens().requests, "one anonymous token for the pull scope");
        JsonNode image = inspect(bed, name);
        assertEquals(pushed.configDigest(), image.path("Id").asText());
        assertEquals(registry.host() + "/team/app@" + pushed.digest(), image.path("RepoDigests").get(0).asText());

        // a loopback registry is insecure as in dockerd: HTTPS without verification (no certs.d needed)
        Registry loopback = bed.secureRegistry("127.0.0.1", 6443);
        RegistryPush.Pushed local = loopback.push().image("local", "latest", Format.DOCKER, "amd64",
                List.of(BusyboxImages.fileLayer(bed.dir(), "local", "local\n")));
        CommandResult insecure = bed.docker().ok("pull", loopback.host() + "/local");
        assertTrue(insecure.stdout().contains("Digest: " + local.digest()), insecure.describe());
        assertEquals(1, loopback.tokens().requests.size(), "the token flow ran over HTTPS: " + loopback.tokens().requests);
    }

    /** The CLI's own pull: create answers 404 for the missing image, the CLI pulls and creates again. */
    @Test
    void dockerCreatePullsAMissingImage(Testbed bed) throws IOException {
        Registry registry = bed.registry();
        RegistryPush.Pushed pushed = registry.push().image("busybox", "latest", Format.DOCKER, "amd64", List.of(BusyboxImages.busyboxLayer(bed.dir())));
        bed.daemon().withoutTestImages().start();
        String name = registry.host() + "/busybox";

        CommandResult create = bed.docker().ok("create", "--name", "c1", name, "sh", "-c", "echo hi");
        assertTrue(create.stderr().contains("Unable to find image '" + name + ":latest' locally"), create.describe());
        assertTrue(create.stderr().contains("Status: Downloaded newer image for " + name + ":latest"), create.describe());
        assertEquals(pushed.configDigest(), inspect(bed, name).path("Id").asText());
        JsonNode container = JSON.readTree(bed.docker().ok("container", "inspect", "c1").stdout()).get(0);
        assertEquals(pushed.configDigest(), container.path("Image").asText(), container::toString);
        bed.docker().ok("rm", "c1");
    }

    /** The issue's line: {@code docker pull 127.0.0.1:PORT/busybox} then {@code docker run} it. */
    @Test
    void aPulledBusyboxRuns(Testbed bed) {
        Registry registry = bed.registry();
        registry.push().image("busybox", "latest", Format.DOCKER, "amd64", List.of(BusyboxImages.busyboxLayer(bed.dir())));
        bed.daemon().withoutTestImages().start();
        String name = registry.host() + "/busybox";

        bed.docker().ok("pull", name);
        CommandResult run = bed.docker().run("run", "--rm", name, "sh", "-c", "echo o; echo e >&2; exit 3");
        assertEquals(3, run.exitCode(), run.describe());
        assertEquals("o", run.stdout().strip(), run.describe());
        assertEquals("e", run.stderr().strip(), run.describe());
    }
}
