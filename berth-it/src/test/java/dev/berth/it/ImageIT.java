package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.BusyboxImages;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Dirs;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Images with the real docker CLI: {@code docker load} (save tars with plain and gzip layers, the
 * legacy layout), {@code docker import}, {@code images}, {@code image inspect}, {@code tag},
 * {@code rmi}, {@code image prune}; images survive a restart; bad archives are refused with a 400
 * and leave no image, no file and no mount behind.
 */
@ExtendWith(TestbedExtension.class)
class ImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode inspect(Testbed bed, String name) throws IOException {
        return JSON.readTree(bed.docker().ok("image", "inspect", name).stdout()).get(0);
    }

    private static List<String> images(Testbed bed) {
        // sorted: the CLI's order of the names of one image is not fixed
        return bed.docker().ok("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").lines().stream().sorted().toList();
    }

    /** {@code docker import - name} with the tar on stdin, as a user pipes it. */
    private static CommandResult importFromStdin(Testbed bed, Path tar, String name, String... changes) {
        StringBuilder command = new StringBuilder("exec /usr/local/bin/docker import");
        for (String change : changes) {
            command.append(" -c '").append(change).append('\'');
        }
        command.append(" - ").append(name).append(" < ").append(tar);
        Path config = bed.dir().resolve("docker-import-config");
        return bed.run(List.of("env", "DOCKER_HOST=unix://" + bed.daemon().socket(), "DOCKER_CONFIG=" + config,
                "sh", "-c", command.toString()));
    }

    @Test
    void loadImportTagRemovePruneAndRestart(Testbed bed) throws Exception {
        bed.daemon().withoutTestImages().start();
        Path dir = Files.createDirectories(bed.dir().resolve("images"));
        String id = BusyboxImages.imageId(dir);

        // gzip layers first, so the layer is unpacked from gzip; the plain tar names the same image
        CommandResult loaded = bed.docker().ok("load", "-i", BusyboxImages.saveTar(dir, "busybox:latest", true).toString());
        assertEquals("Loaded image: busybox:latest", loaded.stdout().strip(), loaded::describe);
        bed.docker().ok("load", "-q", "-i", BusyboxImages.saveTar(dir, "plainbox:1", false).toString());
        CommandResult legacy = bed.docker().ok("load", "-i", BusyboxImages.legacyTar(dir, "legacybox:1").toString());
        assertTrue(legacy.stdout().contains("Loaded image: legacybox:1"), legacy::describe);

        JsonNode busybox = inspect(bed, "docker.io/library/busybox:latest");
        assertEquals(id, busybox.get("Id").asText());
        assertEquals(List.of("busybox:latest", "plainbox:1"), strings(busybox.get("RepoTags")));
        assertEquals("[\"sh\"]", busybox.get("Config").get("Cmd").toString());
        assertEquals("linux", busybox.get("Os").asText());
        assertEquals("amd64", busybox.get("Architecture").asText());
        assertEquals(1, busybox.get("RootFS").get("Layers").size());
        assertTrue(busybox.get("Size").asLong() > 500_000, busybox::toString);
        assertEquals(id, inspect(bed, id.substring(7, 19)).get("Id").asText(), "an id prefix names it");
        JsonNode legacyImage = inspect(bed, "legacybox:1");
        assertEquals(busybox.get("RootFS").get("Layers"), legacyImage.get("RootFS").get("Layers"),
                "the legacy layout's layer is the same layer");
        assertEquals(1, Dirs.names(bed.dir().resolve("data/image/layers")).size(), "one layer, unpacked once");
        Path layer = bed.dir().resolve("data/image/layers").resolve(Dirs.names(bed.dir().resolve("data/image/layers")).getFirst());
        assertTrue(Files.isSymbolicLink(layer.resolve("diff/bin/sh")));
        assertTrue(Files.isExecutable(layer.resolve("diff/bin/busybox")));

        List<String> history = bed.docker().ok("history", "--no-trunc", "--format", "{{.ID}} {{.CreatedBy}}", "busybox").lines();
        assertEquals(List.of(id + " berth test fixture: busybox-static"), history);

        CommandResult imported = importFromStdin(bed, BusyboxImages.rootfsTar(dir, true), "mybox:1",
                "CMD [\"sh\"]", "ENV A=1", "WORKDIR /tmp", "LABEL k=v");
        imported.assertSuccess();
        assertTrue(imported.stdout().strip().startsWith("sha256:"), imported::describe);
        JsonNode mybox = inspect(bed, "mybox:1");
        assertEquals(imported.stdout().strip(), mybox.get("Id").asText());
        assertEquals("[\"sh\"]", mybox.get("Config").get("Cmd").toString());
        assertEquals("[\"A=1\"]", mybox.get("Config").get("Env").toString());
        assertEquals("/tmp", mybox.get("Config").get("WorkingDir").asText());
        assertEquals("v", mybox.get("Config").get("Labels").get("k").asText());

        bed.docker().ok("tag", "busybox", "example.test:5000/team/box:2");
        assertTrue(images(bed).contains("example.test:5000/team/box:2 " + id.substring(7, 19)), () -> images(bed).toString());
        assertEquals(List.of("mybox:1"), bed.docker().ok("images", "--filter", "label=k=v", "--format", "{{.Repository}}:{{.Tag}}").lines());
        assertEquals(List.of("busybox:latest"), bed.docker().ok("images", "--filter", "reference=busy*", "--format", "{{.Repository}}:{{.Tag}}").lines());

        CommandResult untag = bed.docker().ok("rmi", "example.test:5000/team/box:2");
        assertEquals("Untagged: example.test:5000/team/box:2", untag.stdout().strip(), untag::describe);
        CommandResult conflict = bed.docker().run("rmi", id.substring(7, 19));
        assertNotEquals(0, conflict.exitCode());
        assertTrue(conflict.stderr().contains("conflict: unable to delete " + id.substring(7, 19)
                + " (must be forced) - image is referenced in multiple repositories"), conflict::describe);
        CommandResult rmi = bed.docker().ok("rmi", "mybox:1");
        assertTrue(rmi.stdout().contains("Untagged: mybox:1") && rmi.stdout().contains("Deleted: " + mybox.get("Id").asText()),
                rmi::describe);

        // a nameless import is dangling; prune removes it and nothing else
        String dangling = bed.docker().ok("import", BusyboxImages.rootfsTar(dir, false).toString()).stdout().strip();
        assertEquals(List.of(dangling.substring(7, 19)), bed.docker().ok("images", "-q", "--filter", "dangling=true").lines());
        CommandResult prune = bed.docker().ok("image", "prune", "-f");
        assertTrue(prune.stdout().contains("deleted: " + dangling), prune::describe);
        assertEquals(List.of(), bed.docker().ok("images", "-q", "--filter", "dangling=true").lines());

        List<String> before = images(bed);
        assertEquals(3, before.size(), before::toString);
        bed.daemon().restart();
        assertEquals(before, images(bed), "images survive a restart");
        assertEquals(id, inspect(bed, "busybox").get("Id").asText());

        bed.docker().ok("rmi", "busybox", "plainbox:1", "legacybox:1");
        assertEquals(List.of(), images(bed));
        assertEquals(List.of(), Dirs.names(bed.dir().resolve("data/image/layers")), "layers of no image are removed");
        assertEquals(List.of(), Dirs.names(bed.dir().resolve("data/image/blobs/sha256")));
    }

    private static List<String> strings(JsonNode array) {
        return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    private static byte[] layerWith(String... kindNameTarget) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (int i = 0; i < kindNameTarget.length; i += 3) {
                TarArchiveEntry entry = switch (kindNameTarget[i]) {
                    case "symlink" -> {
                        TarArchiveEntry e = new TarArchiveEntry(kindNameTarget[i + 1], TarConstants.LF_SYMLINK);
                        e.setLinkName(kindNameTarget[i + 2]);
                        yield e;
                    }
                    default -> {
                        TarArchiveEntry e = new TarArchiveEntry(kindNameTarget[i + 1]);
                        e.setSize(kindNameTarget[i + 2].length());
                        yield e;
                    }
                };
                out.putArchiveEntry(entry);
                if (!entry.isSymbolicLink()) {
                    out.write(kindNameTarget[i + 2].getBytes(StandardCharsets.UTF_8));
                }
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void badArchivesAreRefusedAndLeaveNothing(Testbed bed) throws Exception {
        bed.daemon().withoutTestImages().start();
        Path dir = Files.createDirectories(bed.dir().resolve("images"));
        Path good = BusyboxImages.saveTar(dir, "busybox:latest", false);
        byte[] goodBytes = Files.readAllBytes(good);
        Map<String, Path> bad = new LinkedHashMap<>();
        Map<String, String> said = Map.of("garbage", "invalid archive", "truncated", "invalid archive",
                "escaping layer", "\"../../escaped\" is outside of the layer root",
                "symlink escape", "goes through etc, a symbolic link", "missing blob", "is not in the archive",
                "digest mismatch", "digest mismatch");
        bad.put("garbage", Files.write(dir.resolve("garbage.tar"), "this is not a tar archive at all".repeat(40).getBytes()));
        bad.put("truncated", Files.write(dir.resolve("truncated.tar"), Arrays.copyOf(goodBytes, goodBytes.length / 2)));
        bad.put("escaping layer", BusyboxImages.saveTar(dir, "evil:1", layerWith("file", "../../escaped", "x"), false));
        bad.put("symlink escape", BusyboxImages.saveTar(dir, "evil:2",
                layerWith("symlink", "etc", "/" + dir.resolve("victim"), "file", "etc/passwd", "pwned"), true));
        Map<String, byte[]> missing = BusyboxImages.saveEntries("busybox:latest", BusyboxImages.layer(BusyboxImages.rootfs(dir)), false);
        String layerName = missing.keySet().stream().skip(1).findFirst().orElseThrow();
        missing.remove(layerName);
        bad.put("missing blob", BusyboxImages.tar(dir.resolve("missing.tar"), missing));
        Map<String, byte[]> swapped = BusyboxImages.saveEntries("busybox:latest", BusyboxImages.layer(BusyboxImages.rootfs(dir)), false);
        swapped.put(layerName, layerWith("file", "other", "content"));
        bad.put("digest mismatch", BusyboxImages.tar(dir.resolve("swapped.tar"), swapped));
        Files.createDirectories(dir.resolve("victim"));

        for (Map.Entry<String, Path> archive : bad.entrySet()) {
            CommandResult load = bed.docker().run("load", "-i", archive.getValue().toString());
            assertNotEquals(0, load.exitCode(), archive.getKey() + ": " + load.describe());
            assertTrue(load.stderr().contains("Error response from daemon: "), archive.getKey() + ": " + load.describe());
            assertTrue(load.stderr().contains(said.get(archive.getKey())), archive.getKey() + ": " + load.describe());
            HttpReply reply = bed.api().send("POST", "/v1.50/images/load", "application/x-tar", Files.readAllBytes(archive.getValue()));
            assertEquals(400, reply.status(), archive.getKey() + ": " + reply);
            assertEquals(List.of(), images(bed), archive.getKey());
            assertEquals(List.of(), Dirs.names(bed.dir().resolve("data/image/tmp")), archive.getKey());
            assertEquals(List.of(), Dirs.names(bed.dir().resolve("data/image/layers")), archive.getKey());
            assertEquals(List.of(), Dirs.names(bed.dir().resolve("data/image/blobs/sha256")), archive.getKey());
        }
        assertEquals(List.of(), Dirs.names(dir.resolve("victim")), "nothing written through a symlink");
        assertTrue(!Files.exists(bed.dir().resolve("data/escaped")) && !Files.exists(bed.dir().resolve("escaped")));
        CommandResult badImport = importFromStdin(bed, bad.get("truncated"), "x:1");
        assertNotEquals(0, badImport.exitCode(), badImport::describe);
        CommandResult badChange = bed.docker().run("import", "-c", "RUN echo", BusyboxImages.rootfsTar(dir, false).toString(), "x:2");
        assertTrue(badChange.stderr().contains("run is not a valid change command"), badChange::describe);
        assertEquals(List.of(), images(bed));
        assertEquals(List.of(), Dirs.names(bed.dir().resolve("data/image/tmp")));

        // the good archive still loads afterwards, and one past the API's 4 MiB body limit streams in
        bed.docker().ok("load", "-i", good.toString());
        assertEquals(1, images(bed).size());
        Path big = BusyboxImages.saveTar(dir, "big:1", layerWith("file", "big", "z".repeat(6 * 1024 * 1024)), false);
        assertTrue(Files.size(big) > 6 * 1024 * 1024);
        bed.docker().ok("load", "-i", big.toString());
        assertEquals(2, images(bed).size());
        assertEquals(6 * 1024 * 1024, inspect(bed, "big:1").get("Size").asLong());
    }
}
