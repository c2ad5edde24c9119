package dev.berth.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.errors.InvalidParameterException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code docker load}: reads a {@code docker save} tar as it streams in (plain or gzip), spooling its
 * files to a staging directory (never to memory; metadata files are read with a size cap), then adds
 * each image it describes: the current layout ({@code manifest.json}, configs and layers by path,
 * blobs checked against their {@code blobs/sha256/} names, layers plain or gzip) or the legacy one
 * ({@code repositories}, {@code <id>/json}, {@code <id>/layer.tar}).
 */
public final class ArchiveLoader {
    /** The largest metadata file (manifest, config, v1 json) read into memory. */
    static final long METADATA_BYTES = 8L * 1024 * 1024;
    private static final Pattern BLOB = Pattern.compile("(?:.*/)?(?:sha256/)?([a-f0-9]{64})(?:\\.json)?");

    private final DiskImageStore store;
    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final Map<String, String> symlinks = new HashMap<>();
    private Path files;

    public ArchiveLoader(DiskImageStore store) {
        this.store = store;
    }

    /**
     * Loads every image of the archive; returns moby's lines ({@code Loaded image: busybox:latest},
     * {@code Loaded image ID: sha256:...} for an image without a name). Bad input is a 400 and adds
     * nothing; the staging directory is removed whatever happens.
     */
    public List<String> load(InputStream body) {
        Path staging = store.staging();
        try {
            files = Files.createDirectory(staging.resolve("files"));
            spool(body);
            if (Files.isRegularFile(files.resolve("manifest.json"))) {
                return loadManifest();
            }
            if (Files.isRegularFile(files.resolve("repositories"))) {
                return loadLegacy();
            }
            throw new InvalidParameterException("invalid archive: no manifest.json or repositories found (not a docker save tar)");
        } catch (IOException e) {
            throw StreamCopy.storage("load", e);
        } finally {
            Trees.deleteQuietly(staging, null);
        }
    }

    private void spool(InputStream body) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(DiskImageStore.decompressed(new BufferedInputStream(body, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = next(tar)) != null) {
                List<String> parts = LayerUnpacker.clean(entry.getName());
                if (parts.isEmpty()) {
                    continue;
                }
                String name = String.join("/", parts);
                if (entry.isSymbolicLink()) {
                    List<String> target = new ArrayList<>(parts.subList(0, parts.size() - 1));
                    target.add(entry.getLinkName());
                    symlinks.put(name, String.join("/", LayerUnpacker.clean(String.join("/", target))));
                } else if (entry.isLink()) {
                    symlinks.put(name, String.join("/", LayerUnpacker.clean(entry.getLinkName())));
                } else if (entry.isFile()) {
                    Path target = files.resolve(name);
                    Files.createDirectories(target.getParent());
                    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        throw new InvalidParameterException("invalid archive: " + name + " is in it twice");
                    }
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        long copied = StreamCopy.copy(tar, out, "invalid archive: " + name);
                        if (copied != entry.getSize()) {
                            throw new InvalidParameterException("invalid archive: unexpected EOF in " + name);
                        }
                    }
                }
            }
        }
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar) {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidParameterException("invalid archive: unexpected EOF or corrupt tar: " + e.getMessage(), e);
        }
    }

    /** The spooled file an archive path names, following the archive's links; 400 when absent. */
    private Path file(String name, String what) {
        String current = String.join("/", LayerUnpacker.clean(name));
        for (int hops = 0; hops < 16 && symlinks.containsKey(current); hops++) {
            current = symlinks.get(current);
        }
        Path path = current.isEmpty() ? null : files.resolve(current);
        if (path == null || !Files.isRegularFile(path)) {
            throw new InvalidParameterException("invalid archive: " + what + " " + name + " is not in the archive");
        }
        return path;
    }

    private byte[] metadata(String name, String what) throws IOException {
        Path path = file(name, what);
        if (Files.size(path) > METADATA_BYTES) {
            throw new InvalidParameterException("invalid archive: " + what + " " + name + " is larger than "
                    + METADATA_BYTES + " bytes");
        }
        return Files.readAllBytes(path);
    }

    private JsonNode json(String name, String what) throws IOException {
        try {
            return mapper.readTree(metadata(name, what));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidParameterException("invalid archive: " + what + " " + name + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private List<String> loadManifest() throws IOException {
        JsonNode manifest = json("manifest.json", "manifest");
        if (!manifest.isArray()) {
            throw new InvalidParameterException("invalid archive: manifest.json is not a list");
        }
        List<NewImage> batch = new ArrayList<>();
        for (JsonNode item : manifest) {
            String configName = item.path("Config").asText("");
            byte[] config = metadata(configName, "config");
            checkDigest(configName, file(configName, "config"));
            List<Path> layers = new ArrayList<>();
            for (JsonNode layer : item.path("Layers")) {
                Path path = file(layer.asText(), "layer");
                checkDigest(layer.asText(), path);
                layers.add(path);
            }
            List<String> tags = new ArrayList<>();
            for (JsonNode tag : item.path("RepoTags")) {
                tags.add(ImageReference.parse(tag.asText()).repoTag());
            }
            batch.add(new NewImage(config, layers, tags, List.of()));
        }
        return addAll(batch);
    }

    private List<String> addAll(List<NewImage> batch) {
        List<String> lines = new ArrayList<>();
        for (NewImage image : batch) {
            StoredImage added = store.add(image);
            if (image.repoTags().isEmpty()) {
                lines.add("Loaded image ID: " + added.id());
            }
            image.repoTags().forEach(t -> lines.add("Loaded image: " + t));
        }
        return lines;
    }

    /** A file named by its digest ({@code blobs/sha256/<hex>}, {@code <hex>.json}) must have that digest. */
    private static void checkDigest(String name, Path path) throws IOException {
        Matcher m = BLOB.matcher(name);
        if (!m.matches()) {
            return;
        }
        String actual = sha256(path);
        if (!actual.equals(m.group(1))) {
            throw new InvalidParameterException("invalid archive: digest mismatch for " + name + ": its content is sha256:" + actual);
        }
    }

    static String sha256(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return sha256(in);
        }
    }

    /** Hex sha256 of what {@code in} holds, read to its end. */
    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, digest)) {
                d.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The v1 layout: each layer's json names its parent; the top one becomes the image config. */
    private List<String> loadLegacy() throws IOException {
        JsonNode repositories = json("repositories", "file");
        List<NewImage> batch = new ArrayList<>();
        Map<String, List<String>> tagsById = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> repo : repositories.properties()) {
            for (Map.Entry<String, JsonNode> tag : repo.getValue().properties()) {
                String id = tag.getValue().asText();
                tagsById.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(ImageReference.parse(repo.getKey(), tag.getKey()).repoTag());
            }
        }
        for (Map.Entry<String, List<String>> image : tagsById.entrySet()) {
            List<JsonNode> chain = new ArrayList<>();
            List<Path> layers = new ArrayList<>();
            String id = image.getKey();
            while (!id.isEmpty()) {
                if (!id.matches("[a-f0-9]{64}") || chain.size() > 500) {
                    throw new InvalidParameterException("invalid archive: bad layer id " + id);
                }
                JsonNode v1 = json(id + "/json", "layer json");
                chain.addFirst(v1);
                layers.addFirst(file(id + "/layer.tar", "layer"));
                id = v1.path("parent").asText("");
            }
            ArrayNode diffIds = mapper.createArrayNode();
            ArrayNode history = mapper.createArrayNode();
            for (int i = 0; i < layers.size(); i++) {
                diffIds.add("sha256:" + diffId(layers.get(i)));
                JsonNode v1 = chain.get(i);
                ObjectNode entry = history.addObject();
                if (v1.hasNonNull("created")) {
                    entry.set("created", v1.get("created"));
                }
                if (v1.hasNonNull("author")) {
                    entry.set("author", v1.get("author"));
                }
                JsonNode cmd = v1.path("container_config").path("Cmd");
                if (cmd.isArray()) {
                    List<String> words = new ArrayList<>();
                    cmd.forEach(w -> words.add(w.asText()));
                    entry.put("created_by", String.join(" ", words));
                }
                if (v1.hasNonNull("comment")) {
                    entry.set("comment", v1.get("comment"));
                }
            }
            ObjectNode config = ((ObjectNode) chain.getLast()).deepCopy();
            for (String field : List.of("id", "parent", "Size", "parent_id", "layer_id", "throwaway")) {
                config.remove(field);
            }
            config.putObject("rootfs").put("type", "layers").set("diff_ids", diffIds);
            config.set("history", history);
            batch.add(new NewImage(mapper.writeValueAsBytes(config), layers, image.getValue(), List.of()));
        }
        return addAll(batch);
    }

    private static String diffId(Path layer) throws IOException {
        try (InputStream in = DiskImageStore.decompressed(new BufferedInputStream(Files.newInputStream(layer)))) {
            return sha256(in);
        }
    }
}
