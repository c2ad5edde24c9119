package dev.berth.daemon.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.errors.InvalidParameterException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-save layouts the IT's fixture does not write: Docker before 25 (symlinked layers), a gzipped archive. */
class ArchiveLoaderTest {
    @TempDir
    Path dir;
    DiskImageStore store;

    @BeforeEach
    void open() {
        assumeTrue("root".equals(System.getProperty("user.name")), "unpacking sets owners");
        store = DiskImageStore.open(dir.resolve("data"), dir.resolve("exec"), Clock.systemUTC());
    }

    private static byte[] archive(Object... nameContent) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < nameContent.length; i += 2) {
                String name = (String) nameContent[i];
                TarArchiveEntry entry;
                if (nameContent[i + 1] instanceof String target) {
                    entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    entry.setLinkName(target);
                } else {
                    entry = new TarArchiveEntry(name);
                    entry.setSize(((byte[]) nameContent[i + 1]).length);
                }
                out.putArchiveEntry(entry);
                if (!(nameContent[i + 1] instanceof String)) {
                    out.write((byte[]) nameContent[i + 1]);
                }
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dockerBefore25WithASymlinkedLayerAndAGzippedArchive() throws IOException {
        byte[] layer = Layers.tar("bin/sh", "x");
        byte[] config1 = Layers.config(List.of(Layers.sha256(layer)));
        byte[] config2 = utf8(new String(config1, StandardCharsets.UTF_8).replace("\"sh\"", "\"ls\""));
        String hex1 = Layers.sha256(config1).substring(7);
        String hex2 = Layers.sha256(config2).substring(7);
        String manifest = "[{\"Config\":\"" + hex1 + ".json\",\"RepoTags\":[\"one:1\"],\"Layers\":[\"aaa/layer.tar\"]},"
                + "{\"Config\":\"" + hex2 + ".json\",\"RepoTags\":[],\"Layers\":[\"bbb/layer.tar\"]}]";
        byte[] tar = archive(hex1 + ".json", config1, hex2 + ".json", config2, "aaa/layer.tar", layer,
                "bbb/layer.tar", "../aaa/layer.tar", "manifest.json", utf8(manifest));
        List<String> lines = new ArchiveLoader(store).load(new ByteArrayInputStream(Layers.gzip(tar)));
        assertEquals(List.of("Loaded image: one:1", "Loaded image ID: sha256:" + hex2), lines);
        assertEquals(List.of("ls"), store.find("sha256:" + hex2).orElseThrow().cmd());
        assertEquals(1, store.list().stream().map(StoredImage::diffIds).distinct().count());
    }

    @Test
    void theLegacyLayoutFollowsParentsBottomFirst() throws IOException {
        String base = "1".repeat(64);
        String top = "2".repeat(64);
        byte[] baseLayer = Layers.tar("bin/sh", "x");
        byte[] topLayer = Layers.tar("etc/.wh.gone", "", "etc/new", "n");
        byte[] tar = archive("repositories", utf8("{\"app\":{\"v1\":\"" + top + "\",\"v2\":\"" + top + "\"}}"),
                base + "/json", utf8("{\"id\":\"" + base + "\",\"created\":\"2020-01-01T00:00:00Z\",\"os\":\"linux\"}"),
                base + "/layer.tar", baseLayer,
                top + "/json", utf8("{\"id\":\"" + top + "\",\"parent\":\"" + base + "\",\"created\":\"2021-01-01T00:00:00Z\","
                        + "\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) ADD\"]}}"),
                top + "/layer.tar", topLayer);
        assertEquals(List.of("Loaded image: app:v1", "Loaded image: app:v2"),
                new ArchiveLoader(store).load(new ByteArrayInputStream(tar)));
        StoredImage image = store.get("app:v2");
        assertEquals(List.of(Layers.sha256(baseLayer), Layers.sha256(topLayer)), image.diffIds());
        assertEquals(List.of("sh"), store.find("app:v1").orElseThrow().cmd());
        assertEquals(2, image.config().path("history").size());
        assertTrue(!image.config().has("id") && !image.config().has("parent"), image.config().toString());
    }

    @Test
    void aConfigWhoseNameIsNotItsDigestIsRefused() throws IOException {
        byte[] layer = Layers.tar("a", "1");
        byte[] config = Layers.config(List.of(Layers.sha256(layer)));
        String wrong = "b".repeat(64);
        byte[] tar = archive(wrong + ".json", config, "l/layer.tar", layer, "manifest.json",
                utf8("[{\"Config\":\"" + wrong + ".json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"l/layer.tar\"]}]"));
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> new ArchiveLoader(store).load(new ByteArrayInputStream(tar)));
        assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
        assertEquals(List.of(), store.list());
    }

    @Test
    void anArchiveEntryOutsideTheArchiveIsRefused() throws IOException {
        byte[] tar = archive("../manifest.json", utf8("[]"));
        assertThrows(InvalidParameterException.class, () -> new ArchiveLoader(store).load(new ByteArrayInputStream(tar)));
        try (var list = Files.list(dir.resolve("data/image/tmp"))) {
            assertEquals(0, list.count());
        }
    }
}
