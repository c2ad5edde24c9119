package dev.berth.daemon.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store without mounts: adding (digest checks, all or nothing), names, removal, the start-up sweep. */
class DiskImageStoreTest {
    @TempDir
    Path dir;
    DiskImageStore store;

    @BeforeEach
    void open() {
        assumeTrue("root".equals(System.getProperty("user.name")), "unpacking sets owners");
        store = DiskImageStore.open(dir.resolve("data"), dir.resolve("exec"), Clock.systemUTC());
    }

    private List<String> files(String sub) throws IOException {
        try (Stream<Path> list = Files.list(dir.resolve("data/image").resolve(sub))) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void addFindTagAndRemove() throws IOException {
        byte[] layer = Layers.tar("bin/busybox", "x", "bin/sh", "->busybox");
        StoredImage image = store.add(Layers.image(store, List.of("busybox:latest"), Layers.gzip(layer)));
        assertEquals("sha256:" + DiskImageStore.sha256(Layers.config(List.of(Layers.sha256(layer)))), image.id());
        for (String name : List.of("busybox", "busybox:latest", "docker.io/library/busybox:latest", image.id(),
                image.id().substring(7, 15), "sha256:" + image.id().substring(7, 15))) {
            assertEquals(image.id(), store.find(name).orElseThrow().id(), name);
        }
        assertEquals(List.of("sh"), store.find("busybox").orElseThrow().cmd());
        assertTrue(store.find("nope").isEmpty());
        ConflictException used = assertThrows(ConflictException.class,
                () -> store.remove("busybox", false, Map.of(image.id(), "c1")));
        assertEquals("conflict: unable to remove repository reference \"busybox\" (must force) - container c1 is using"
                + " its referenced image " + image.id().substring(7, 19), used.getMessage());
        store.tag("busybox", ImageReference.parse("other/name:2"));
        assertEquals(List.of("busybox:latest", "other/name:2"), store.get("busybox").repoTags());
        assertEquals(1, store.remove("busybox", false, Map.of(image.id(), "c1")).size(), "a name of several is only untagged");
        assertThrows(ConflictException.class, () -> store.remove(image.id(), false, Map.of(image.id(), "c1")));
        List<DiskImageStore.Removed> removed = store.remove(image.id(), false, Map.of());
        assertEquals("other/name:2", removed.getFirst().untagged());
        assertEquals(image.id(), removed.getLast().deleted());
        assertTrue(removed.getLast().reclaimed() > 0);
        assertEquals(List.of(), files("layers"));
        assertEquals(List.of(), files("blobs/sha256"));
    }

    @Test
    void anImageInUseIsOnlyUntaggedWhenForcedAndNeverPruned() throws IOException {
        StoredImage used = store.add(Layers.image(store, List.of("used:1"), Layers.tar("u", "1")));
        StoredImage free = store.add(Layers.image(store, List.of(), Layers.tar("f", "2")));
        Map<String, String> users = Map.of(used.id(), "c0ffee");
        List<DiskImageStore.Removed> forced = store.remove("used:1", true, users);
        assertEquals(List.of(DiskImageStore.Removed.untagged("used:1")), forced);
        assertTrue(store.get(used.id()).dangling(), "kept, without a name, for its container");
        List<DiskImageStore.Removed> pruned = store.prune(false, users, image -> true);
        assertEquals(List.of(free.id()), pruned.stream().map(DiskImageStore.Removed::deleted).toList());
        assertEquals(used.id(), store.get(used.id()).id());
        assertEquals(List.of(used.id()), store.prune(false, Map.of(), image -> true).stream()
                .map(DiskImageStore.Removed::deleted).toList(), "once no container uses it, prune takes it");
    }

    @Test
    void digestNamesFindTheImage() throws IOException {
        String digest = "sha256:" + "d".repeat(64);
        NewImage staged = Layers.image(store, List.of("127.0.0.1:5000/box:1"), Layers.tar("d", "1"));
        StoredImage image = store.add(new NewImage(staged.config(), staged.layers(), staged.repoTags(),
                List.of("127.0.0.1:5000/box@" + digest)));
        assertEquals(List.of("127.0.0.1:5000/box@" + digest), image.repoDigests());
        assertEquals(image.id(), store.find("127.0.0.1:5000/box@" + digest).orElseThrow().id());
        assertTrue(store.find("127.0.0.1:5000/other@" + digest).isEmpty());
        assertEquals(image.id(), store.find("127.0.0.1:5000/box:1").orElseThrow().id());
        assertTrue(store.find("127.0.0.1:5000/box").isEmpty(), "no :latest");
    }

    @Test
    void aPulledImageGoesWithItsLastTagAndItsDigestReferences() throws IOException {
        String digest = "127.0.0.1:5000/box@sha256:" + "e".repeat(64);
        NewImage staged = Layers.image(store, List.of("127.0.0.1:5000/box:latest"), Layers.tar("e", "1"));
        StoredImage image = store.add(new NewImage(staged.config(), staged.layers(), staged.repoTags(), List.of(digest)));
        store.tag("127.0.0.1:5000/box:latest", ImageReference.parse("127.0.0.1:5000/box:2"));
        assertEquals(List.of(DiskImageStore.Removed.untagged("127.0.0.1:5000/box:2")),
                store.remove("127.0.0.1:5000/box:2", false, Map.of()), "another tag of the repository is left");
        List<DiskImageStore.Removed> removed = store.remove("127.0.0.1:5000/box:latest", false, Map.of());
        assertEquals(List.of("127.0.0.1:5000/box:latest", digest),
                removed.stream().map(DiskImageStore.Removed::untagged).filter(java.util.Objects::nonNull).toList());
        assertEquals(image.id(), removed.getLast().deleted());
        assertTrue(store.find(image.id()).isEmpty());
        assertEquals(List.of(), files("layers"));
    }

    @Test
    void aBadLayerAddsNothing() throws IOException {
        byte[] good = Layers.tar("a", "1");
        StoredImage first = store.add(Layers.image(store, List.of("first:1"), good));
        byte[] evil = Layers.tar("../escape", "x");
        byte[] truncated = Arrays.copyOf(Layers.tar("big", "y".repeat(10000)), 3000);
        for (byte[] bad : List.of(evil, truncated, Layers.gzip(truncated))) {
            NewImage image = Layers.image(store, List.of("first:1"), good, bad);
            assertThrows(InvalidParameterException.class, () -> store.add(image));
        }
        // the config names another layer than the one given
        Path staging = store.staging();
        NewImage mismatched = new NewImage(Layers.config(List.of(Layers.sha256(Layers.tar("b", "2")))),
                List.of(Files.write(staging.resolve("l"), Layers.tar("c", "3"))), List.of("m:1"), List.of());
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> store.add(mismatched));
        assertTrue(e.getMessage().contains("layer digest mismatch"), e.getMessage());
        assertEquals(List.of(Layers.sha256(good).substring(7)), files("layers"));
        assertEquals(List.of(first.id()), store.list().stream().map(StoredImage::id).toList());
        assertEquals(List.of("first:1"), store.get(first.id()).repoTags(), "the failed adds did not take the name");
    }

    @Test
    void theDiffIdCoversBytesAfterTheEndOfArchive() throws IOException {
        byte[] tar = Layers.tar("f", "1");
        byte[] padded = Arrays.copyOf(tar, tar.length + 11_000); // zero blocks past the 10 KiB record
        StoredImage image = store.add(Layers.image(store, List.of("padded:1"), padded));
        assertEquals(List.of(Layers.sha256(padded)), image.diffIds());
    }

    @Test
    void theStartSweepRemovesWhatACrashLeft() throws IOException {
        StoredImage kept = store.add(Layers.image(store, List.of("kept:1"), Layers.tar("k", "1")));
        Path leftover = store.staging();
        Files.writeString(leftover.resolve("half-a-layer"), "x");
        Files.createDirectories(dir.resolve("data/image/layers").resolve("ab".repeat(32)).resolve("diff"));
        Files.writeString(dir.resolve("data/image/blobs/sha256").resolve("cd".repeat(32)), "{}");
        Files.writeString(dir.resolve("data/image/blobs/sha256").resolve(".tmp-" + "ef".repeat(32)), "{");
        store = DiskImageStore.open(dir.resolve("data"), dir.resolve("exec"), Clock.systemUTC());
        assertEquals(List.of(), files("tmp"));
        assertEquals(List.of(kept.id().substring(7)), files("blobs/sha256"));
        assertEquals(1, files("layers").size());
        assertEquals(kept.id(), store.get("kept:1").id());
        assertFalse(Files.exists(dir.resolve("data/image/.tmp-catalog.json")));
    }
}
