package dev.berth.daemon.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Test layers and configs for the store's tests. */
final class Layers {
    private Layers() {
    }

    /** A layer from {@code name, content} pairs; content {@code "->target"} makes a symlink. */
    static byte[] tar(String... nameContent) throws IOException {
        LayerUnpackerTest.Tar tar = new LayerUnpackerTest.Tar();
        for (int i = 0; i < nameContent.length; i += 2) {
            if (nameContent[i + 1].startsWith("->")) {
                tar.link(nameContent[i], nameContent[i + 1].substring(2),
                        org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            } else {
                tar.file(nameContent[i], nameContent[i + 1], 0755, 0);
            }
        }
        return tar.bytes();
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] config(List<String> diffIds) {
        StringBuilder ids = new StringBuilder();
        for (String id : diffIds) {
            ids.append(ids.isEmpty() ? "" : ",").append('"').append(id).append('"');
        }
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"created\":\"2024-01-01T00:00:00Z\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the layers into the store's staging and returns the new image (config listing their digests). */
    static NewImage image(DiskImageStore store, List<String> tags, byte[]... layers) throws IOException {
        Path staging = store.staging();
        List<Path> files = new java.util.ArrayList<>();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            files.add(Files.write(staging.resolve("layer" + i), layers[i]));
            byte[] plain = layers[i];
            if (plain.length > 2 && (plain[0] & 0xff) == 0x1f && (plain[1] & 0xff) == 0x8b) {
                try (var gz = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(plain))) {
                    plain = gz.readAllBytes();
                } catch (IOException e) {
                    plain = layers[i]; // a corrupt gzip: its digest does not matter, the add fails
                }
            }
            ids.add(sha256(plain));
        }
        return new NewImage(config(ids), files, tags, List.of());
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
