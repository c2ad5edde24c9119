package dev.berth.daemon.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code docker import}: a root filesystem tar (plain or gzip) becomes a one-layer image whose
 * config carries the Dockerfile-style {@code changes} ({@link ConfigChanges}).
 */
public final class RootfsImport {
    private final DiskImageStore store;
    private final Clock clock;
    private final ObjectMapper mapper = JsonMapper.builder().build();

    public RootfsImport(DiskImageStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Imports {@code body}; {@code name} may be null (an image without a name). The changes are
     * checked before the body is read. Returns the new image.
     */
    public StoredImage importTar(InputStream body, ImageReference name, List<String> changes, String message) {
        ObjectNode config = mapper.createObjectNode();
        ObjectNode runConfig = ConfigChanges.apply(mapper, changes);
        Path staging = store.staging();
        try {
            Path layer = staging.resolve("layer.tar");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = DiskImageStore.decompressed(new BufferedInputStream(body, 1 << 16));
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(layer), digest)) {
                StreamCopy.copy(in, out, "invalid tar");
            }
            String now = clock.instant().toString();
            String comment = message == null || message.isEmpty() ? "Imported from -" : message;
            config.put("architecture", "amd64");
            config.put("comment", comment);
            config.set("config", runConfig);
            config.put("created", now);
            config.putArray("history").addObject().put("created", now).put("comment", comment);
            config.put("os", "linux");
            config.putObject("rootfs").put("type", "layers").putArray("diff_ids")
                    .add("sha256:" + HexFormat.of().formatHex(digest.digest()));
            List<String> tags = name == null ? List.of() : List.of(name.repoTag());
            return store.add(new NewImage(mapper.writeValueAsBytes(config), List.of(layer), tags, List.of()));
        } catch (IOException e) {
            throw StreamCopy.storage("import", e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Trees.deleteQuietly(staging, null);
        }
    }
}
