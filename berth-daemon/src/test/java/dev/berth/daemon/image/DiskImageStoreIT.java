package dev.berth.daemon.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.SandboxId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container roots as real overlay mounts (privileged): the layers below in order, whiteouts hide
 * lower files, writes go to the container's upper dir, a second mount (a restarted daemon) reuses
 * the first, and release leaves no mount and no file.
 */
class DiskImageStoreIT {
    @TempDir
    Path dir;

    private long mountsUnder(Path path) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> Overlay.unescape(l.split(" ")[4])).filter(p -> p.startsWith(path.toString())).count();
    }

    @Test
    void mountedRootHasTheLayersAndWritesGoUp() throws IOException {
        DiskImageStore store = DiskImageStore.open(dir.resolve("data"), dir.resolve("exec"), Clock.systemUTC());
        byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
        LayerUnpackerTest.Tar bottom = new LayerUnpackerTest.Tar();
        bottom.file("etc/old", "old", 0644, 0).file("etc/kept", "kept", 0644, 0).link("bin/sh", "busybox",
                org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
        byte[] lower = bottom.bytes();
        byte[] upper = Layers.tar("etc/.wh.old", "", "etc/new", "new");
        Path staging = store.staging();
        Path bin = Files.write(staging.resolve("bin"), Layers.tar("bin/busybox", new String(busybox, java.nio.charset.StandardCharsets.ISO_8859_1)));
        // the busybox layer's content went through a String: take its digest from the file as written
        byte[] binLayer = Files.readAllBytes(bin);
        NewImage image = new NewImage(Layers.config(List.of(Layers.sha256(lower), Layers.sha256(binLayer), Layers.sha256(upper))),
                List.of(Files.write(staging.resolve("lower"), lower), bin, Files.write(staging.resolve("upper"), upper)),
                List.of("box:1"), List.of());
        StoredImage stored = store.add(image);
        SandboxId id = new SandboxId("a".repeat(64));
        Path merged = Path.of(store.mountRootfs(id, stored.id()));
        try {
            assertTrue(Files.isExecutable(merged.resolve("bin/sh")), "bin/sh resolves to busybox inside the root");
            assertFalse(Files.exists(merged.resolve("etc/old"), LinkOption.NOFOLLOW_LINKS), "whited out");
            assertEquals("kept", Files.readString(merged.resolve("etc/kept")));
            assertEquals("new", Files.readString(merged.resolve("etc/new")));
            Files.writeString(merged.resolve("written"), "by the container");
            Path upperDir = dir.resolve("data/image/containers").resolve(id.value()).resolve("upper");
            assertEquals("by the container", Files.readString(upperDir.resolve("written")));
            assertFalse(Files.exists(store.layerDir(Layers.sha256(upper)).resolve("written")));
            assertEquals(1, mountsUnder(merged));

            DiskImageStore restarted = DiskImageStore.open(dir.resolve("data"), dir.resolve("exec"), Clock.systemUTC());
            assertEquals(merged.toString(), restarted.mountRootfs(id, stored.id()));
            assertEquals(1, mountsUnder(merged), "the restarted store reuses the mount");
            assertEquals("by the container", Files.readString(merged.resolve("written")));
            restarted.releaseOthers(Set.of(id));
            assertEquals(1, mountsUnder(merged), "a known container keeps its root");
            restarted.releaseOthers(Set.of());
        } finally {
            store.releaseRootfs(id);
        }
        assertEquals(0, mountsUnder(dir));
        assertFalse(Files.exists(merged));
        assertFalse(Files.exists(dir.resolve("data/image/containers").resolve(id.value())));
        store.releaseRootfs(id); // succeeds when gone
    }

    /** A full data root: a 500 that says so, and nothing of the image left. */
    @Test
    void aFullDataRootIsAClearErrorAndLeavesNothing() throws IOException {
        Path small = Files.createDirectories(dir.resolve("small"));
        dev.berth.kernel.ffm.Libc.mount("tmpfs", small.toString(), "tmpfs", 0, "size=1m");
        try {
            DiskImageStore store = DiskImageStore.open(small.resolve("data"), dir.resolve("exec"), Clock.systemUTC());
            NewImage big = Layers.image(store, List.of("big:1"), Layers.tar("ok", "x"));
            // the staged blob fits, its unpacked content does not
            byte[] layer = Layers.tar("a", "a".repeat(1_500_000));
            Path staging = store.staging();
            NewImage tooBig = new NewImage(Layers.config(List.of(Layers.sha256(layer))),
                    List.of(Files.write(staging.resolve("l"), Layers.gzip(layer))), List.of("big:2"), List.of());
            dev.berth.core.errors.InternalException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.berth.core.errors.InternalException.class, () -> store.add(tooBig));
            assertTrue(e.getMessage().contains("no space left on device"), e.getMessage());
            assertEquals(List.of(), store.list());
            try (var layers = Files.list(small.resolve("data/image/layers"))) {
                assertEquals(0, layers.count());
            }
            store.add(big); // room again once the failed unpack is gone
            assertEquals(1, store.list().size());
        } finally {
            dev.berth.kernel.ffm.Libc.umount2(small.toString(), 0);
        }
    }
}
