package dev.berth.daemon.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ImageStore;
import dev.berth.kernel.ffm.Libc;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The local images under {@code <data-root>/image/}:
 *
 * <pre>
 * catalog.json            the images, their tags and digests: the one commit point (temp file, fsync, rename)
 * blobs/sha256/&lt;hex&gt;      image configs by digest (the image id)
 * layers/&lt;hex&gt;/diff/      a layer unpacked once, keyed by its diff id; layers/&lt;hex&gt;/size
 * containers/&lt;id&gt;/        a container's upper/ and work/ dirs and the id of its image
 * tmp/                    staging; whatever is there at start is a crash's leftover and is swept
 * </pre>
 *
 * and the containers' merged roots under {@code <exec-root>/rootfs/<id>}. An image is added by
 * unpacking its missing layers into {@code tmp/} and renaming them into {@code layers/}, writing its
 * config blob, then replacing {@code catalog.json}: a crash before that rename leaves the old
 * catalog, and the start-up sweep removes blobs and layers no image in it names. Removal replaces the
 * catalog first and deletes files after. One monitor guards the catalog; unpacking runs outside it.
 */
public final class DiskImageStore implements ImageStore {
    private static final Logger LOG = Logger.getLogger(DiskImageStore.class.getName());
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{1,64}");
    private static final int PAGE = 4096;

    private final Path root;
    private final Path rootfsDir;
    private final Clock clock;
    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final Overlay overlay;
    /** Serialises mounts and releases of container roots (a check of mountinfo, then a mount). */
    private final Object mounts = new Object();
    private Catalog catalog;
    private final Map<String, StoredImage> images = new LinkedHashMap<>();
    /** Layers (hex) an add in flight relies on: never deleted until it commits or fails. */
    private final Map<String, Integer> pending = new java.util.HashMap<>();

    /** The persisted catalog: image id to when it was last tagged (RFC 3339, or null), names to ids. */
    record Catalog(Map<String, String> images, Map<String, String> tags, Map<String, String> digests) {
        Catalog {
            images = new TreeMap<>(images == null ? Map.of() : images);
            tags = new TreeMap<>(tags == null ? Map.of() : tags);
            digests = new TreeMap<>(digests == null ? Map.of() : digests);
        }
    }

    private DiskImageStore(Path root, Path rootfsDir, Clock clock) {
        this.root = root;
        this.rootfsDir = rootfsDir;
        this.clock = clock;
        this.overlay = new Overlay();
    }

    /**
     * Opens (and makes) the store under {@code dataRoot/image} with merged roots under
     * {@code execRoot/rootfs}, loads the catalog and sweeps what a crash left: staging directories,
     * temporary files, blobs and layers of no image.
     */
    public static DiskImageStore open(Path dataRoot, Path execRoot, Clock clock) {
        DiskImageStore store = new DiskImageStore(dataRoot.resolve("image"), execRoot.resolve("rootfs"), clock);
        try {
            for (String dir : List.of("blobs/sha256", "layers", "containers", "tmp")) {
                Files.createDirectories(store.root.resolve(dir));
            }
            Files.setAttribute(store.root, "unix:mode", 0700);
            Files.createDirectories(store.rootfsDir);
            Files.setAttribute(store.rootfsDir, "unix:mode", 0700);
            store.load();
            store.sweep();
        } catch (IOException e) {
            throw new InternalException("open image store " + store.root + ": " + e.getMessage(), e);
        }
        return store;
    }

    // ---------------------------------------------------------------- adding

    /**
     * A new empty staging directory under {@code image/tmp/} for one load, import or pull; the
     * caller deletes it (what a crash leaves there is swept at the next start).
     */
    public Path staging() {
        try {
            return Files.createDirectory(root.resolve("tmp").resolve(UUID.randomUUID().toString()));
        } catch (IOException e) {
            throw new InternalException("make staging directory: " + e.getMessage(), e);
        }
    }

    /**
     * Adds an image: checks its config, unpacks the layers the store lacks (each checked against
     * its diff id), stores the config and names it. Names held by another image move here (that
     * image may become dangling). All or nothing: on any failure nothing of it stays.
     */
    public StoredImage add(NewImage image) {
        byte[] configBytes = image.config();
        String id = "sha256:" + sha256(configBytes);
        JsonNode config = parseConfig(configBytes);
        List<String> diffIds = diffIds(config);
        if (diffIds.size() != image.layers().size()) {
            throw new InvalidParameterException("invalid image " + id + ": its config lists " + diffIds.size()
                    + " layers, " + image.layers().size() + " given");
        }
        lowerdirOption(diffIds); // refuse an image no overlay could mount, before unpacking it
        List<Path> installed = new ArrayList<>();
        synchronized (this) {
            diffIds.forEach(d -> pending.merge(hexOf(d), 1, Integer::sum));
        }
        try {
            for (int i = 0; i < diffIds.size(); i++) {
                installLayer(diffIds.get(i), image.layers().get(i), installed);
            }
            synchronized (this) {
                Path blob = blob(id);
                if (!Files.exists(blob)) {
                    Trees.writeAtomically(blob, configBytes);
                }
                Map<String, String> ids = new TreeMap<>(catalog.images());
                Map<String, String> tags = new TreeMap<>(catalog.tags());
                Map<String, String> digests = new TreeMap<>(catalog.digests());
                String tagged = image.repoTags().isEmpty() ? ids.get(id) : clock.instant().toString();
                ids.put(id, tagged);
                image.repoTags().forEach(t -> tags.put(t, id));
                image.repoDigests().forEach(d -> digests.put(d, id));
                commit(new Catalog(ids, tags, digests));
                installed.clear();
                unclaim(diffIds);
                return images.get(id);
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                unclaim(diffIds);
                for (Path layer : installed) {
                    if (!referenced(layer.getFileName().toString())) {
                        Trees.deleteQuietly(layer, e);
                    }
                }
            }
            if (e instanceof IOException io) {
                throw StreamCopy.storage("add image " + id, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Ends an add's claim on its layers (under the monitor). */
    private void unclaim(List<String> diffIds) {
        for (String d : diffIds) {
            pending.computeIfPresent(hexOf(d), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    private void installLayer(String diffId, Path blob, List<Path> installed) throws IOException {
        String hex = hexOf(diffId);
        Path target = root.resolve("layers").resolve(hex);
        if (Files.isDirectory(target)) {
            return;
        }
        if (blob == null) {
            throw new InvalidParameterException("layer " + diffId + " is neither given nor in the store");
        }
        Path work = staging();
        try {
            Path diff = Files.createDirectory(work.resolve("diff"));
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long size;
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(blob), 1 << 16);
                 InputStream plain = decompressed(raw);
                 DigestInputStream in = new DigestInputStream(plain, digest)) {
                size = LayerUnpacker.unpack(in, diff);
            } catch (InvalidParameterException e) {
                throw new InvalidParameterException("layer " + diffId + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw StreamCopy.storage("unpack layer " + diffId, e);
            }
            String actual = "sha256:" + HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(diffId)) {
                throw new InvalidParameterException("layer digest mismatch: the config says " + diffId
                        + ", its content is " + actual);
            }
            Files.writeString(work.resolve("size"), Long.toString(size));
            Libc.syncfs(work.toString());
            synchronized (this) {
                if (Files.isDirectory(target)) {
                    return; // another load installed it meanwhile
                }
                Trees.renameDurably(work, target);
                installed.add(target);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new InternalException("no SHA-256: " + e.getMessage(), e);
        } finally {
            Trees.deleteQuietly(work, null);
        }
    }

    /** A gzip stream (by its magic) decompressed, anything else as it is. */
    static InputStream decompressed(InputStream in) {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
        int b0;
        int b1;
        try {
            buffered.mark(4);
            b0 = buffered.read();
            b1 = buffered.read();
            buffered.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return GzipCompressorInputStream.builder().setInputStream(buffered).setDecompressConcatenated(true).get();
            }
        } catch (IOException e) {
            throw new InvalidParameterException("unexpected EOF or corrupt gzip input: " + e.getMessage(), e);
        }
        if (b0 == 0x28 && b1 == 0xb5) {
            throw new InvalidParameterException("zstd-compressed layers are not supported");
        }
        return buffered;
    }

    private JsonNode parseConfig(byte[] bytes) {
        try {
            JsonNode config = mapper.readTree(bytes);
            if (config == null || !config.isObject()) {
                throw new InvalidParameterException("invalid image config: not a JSON object");
            }
            return config;
        } catch (IOException e) {
            throw new InvalidParameterException("invalid image config: " + e.getMessage(), e);
        }
    }

    private static List<String> diffIds(JsonNode config) {
        JsonNode ids = config.path("rootfs").path("diff_ids");
        if (!ids.isArray() && !ids.isMissingNode()) {
            throw new InvalidParameterException("invalid image config: rootfs.diff_ids is not a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode id : ids) {
            String text = id.asText();
            if (!text.matches("sha256:[a-f0-9]{64}")) {
                throw new InvalidParameterException("invalid image config: bad diff id " + text);
            }
            out.add(text);
        }
        return out;
    }

    // ---------------------------------------------------------------- reading

    /** Every image, newest first. */
    public synchronized List<StoredImage> list() {
        List<StoredImage> out = new ArrayList<>(images.values());
        out.sort((a, b) -> {
            Instant x = a.created() == null ? Instant.EPOCH : a.created();
            Instant y = b.created() == null ? Instant.EPOCH : b.created();
            return x.equals(y) ? a.id().compareTo(b.id()) : y.compareTo(x);
        });
        return out;
    }

    /** The image a reference names (see {@link ImageStore#find}), or 404 {@code No such image: ref}. */
    public synchronized StoredImage get(String reference) {
        return resolve(reference).orElseThrow(() -> new NotFoundException("No such image: " + reference));
    }

    private Optional<StoredImage> resolve(String reference) {
        if (reference == null || reference.isEmpty()) {
            return Optional.empty();
        }
        String byId = reference.startsWith("sha256:") ? reference.substring(7) : null;
        if (byId != null && byId.length() == 64) {
            return Optional.ofNullable(images.get(reference));
        }
        try {
            ImageReference ref = ImageReference.parse(reference);
            String id = ref.repoDigest().map(d -> catalog.digests().get(d)).orElseGet(() -> catalog.tags().get(ref.repoTag()));
            if (id != null) {
                return Optional.ofNullable(images.get(id));
            }
        } catch (InvalidParameterException e) {
            // not a name: maybe an id prefix
        }
        String prefix = byId != null ? byId : reference;
        if (!HEX.matcher(prefix).matches()) {
            return Optional.empty();
        }
        List<StoredImage> matches = images.values().stream().filter(i -> i.id().startsWith("sha256:" + prefix)).toList();
        return matches.size() == 1 ? Optional.of(matches.getFirst()) : Optional.empty();
    }

    @Override
    public Optional<Image> find(String reference) {
        return resolveSynced(reference).map(DiskImageStore::toImage);
    }

    private synchronized Optional<StoredImage> resolveSynced(String reference) {
        return resolve(reference);
    }

    private static Image toImage(StoredImage image) {
        JsonNode c = image.config().path("config");
        return new Image(image.id(), image.repoTags(), strings(c.path("Entrypoint")), strings(c.path("Cmd")),
                strings(c.path("Env")), c.path("WorkingDir").asText(""), c.path("User").asText(""), image.labels(),
                c.path("StopSignal").asText(""), fieldNames(c.path("ExposedPorts")));
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Whether the store has the layer with this diff id unpacked (pull then need not download it). */
    public boolean hasLayer(String diffId) {
        return Files.isDirectory(root.resolve("layers").resolve(hexOf(diffId)));
    }

    /** Where a layer's files are (its overlay lower dir). */
    public Path layerDir(String diffId) {
        return root.resolve("layers").resolve(hexOf(diffId)).resolve("diff");
    }

    // ---------------------------------------------------------------- names and removal

    /** {@code docker tag}: {@code target} ({@code repo[:tag]}) names the image {@code source} names. */
    public synchronized void tag(String source, ImageReference target) {
        StoredImage image = get(source);
        if (!target.digest().isEmpty()) {
            throw new InvalidParameterException("refusing to create a tag with a digest reference");
        }
        Map<String, String> ids = new TreeMap<>(catalog.images());
        Map<String, String> tags = new TreeMap<>(catalog.tags());
        tags.put(target.repoTag(), image.id());
        ids.put(image.id(), clock.instant().toString());
        commit(new Catalog(ids, tags, catalog.digests()));
    }

    /** One line of a removal's answer: a name untagged or an image deleted. */
    public record Removed(String untagged, String deleted, long reclaimed) {
        static Removed untagged(String name) {
            return new Removed(name, null, 0);
        }
    }

    /**
     * {@code docker rmi}, as moby decides it: a name is untagged (with a repository's last tag, its
     * digest references go too) and the image deleted with its last name; an id deletes the image and its names (refused without {@code force} when names of
     * several repositories point at it). An image a container uses ({@code users}: image id to a
     * container id) is refused with 409 unless {@code force}; forced, it only loses its names (the
     * container keeps its layers).
     */
    public synchronized List<Removed> remove(String reference, boolean force, Map<String, String> users) {
        StoredImage image = get(reference);
        String user = users.get(image.id());
        if (user == null && hasRootfs(image.id())) {
            user = "";
        }
        String short12 = image.id().substring(7, 19);
        boolean byId = isIdReference(image, reference);
        Map<String, String> tags = new TreeMap<>(catalog.tags());
        Map<String, String> digests = new TreeMap<>(catalog.digests());
        List<Removed> out = new ArrayList<>();
        if (!byId) {
            ImageReference ref = ImageReference.parse(reference);
            int names = image.repoTags().size() + image.repoDigests().size();
            if (!force && names == 1 && user != null) {
                throw new ConflictException("conflict: unable to remove repository reference \"" + reference
                        + "\" (must force) - container " + shortId(user) + " is using its referenced image " + short12);
            }
            String name = ref.repoDigest().orElse(ref.repoTag());
            boolean wasTag = tags.remove(name) != null;
            if (!wasTag) {
                digests.remove(name);
            }
            out.add(Removed.untagged(name));
            if (wasTag) {
                // moby: once a repository's last tag goes, its digest references (a pull's) go too
                String repository = name.substring(0, name.lastIndexOf(':'));
                boolean tagLeft = image.repoTags().stream()
                        .anyMatch(t -> !t.equals(name) && t.substring(0, t.lastIndexOf(':')).equals(repository));
                for (String d : tagLeft ? List.<String>of() : image.repoDigests()) {
                    if (d.substring(0, d.indexOf('@')).equals(repository)) {
                        digests.remove(d);
                        out.add(Removed.untagged(d));
                        names--;
                    }
                }
            }
            if (names > 1 || user != null) {
                commit(new Catalog(catalog.images(), tags, digests));
                return out;
            }
        } else {
            long repositories = Stream.concat(image.repoTags().stream().map(t -> t.substring(0, t.lastIndexOf(':'))),
                    image.repoDigests().stream().map(d -> d.substring(0, d.indexOf('@')))).distinct().count();
            if (!force && repositories > 1) {
                throw new ConflictException("conflict: unable to delete " + short12
                        + " (must be forced) - image is referenced in multiple repositories");
            }
            if (!force && user != null) {
                throw new ConflictException("conflict: unable to delete " + short12
                        + " (must be forced) - image is being used by stopped container " + shortId(user));
            }
            for (String t : image.repoTags()) {
                tags.remove(t);
                out.add(Removed.untagged(t));
            }
            for (String d : image.repoDigests()) {
                digests.remove(d);
                out.add(Removed.untagged(d));
            }
            if (user != null) {
                commit(new Catalog(catalog.images(), tags, digests));
                return out;
            }
        }
        out.add(delete(image, tags, digests));
        return out;
    }

    /**
     * {@code docker image prune}: images without names ({@code all}: also named ones) that no
     * container uses.
     */
    public synchronized List<Removed> prune(boolean all, Map<String, String> users, java.util.function.Predicate<StoredImage> filter) {
        List<Removed> out = new ArrayList<>();
        for (StoredImage image : List.copyOf(images.values())) {
            if ((!all && !image.dangling()) || users.containsKey(image.id()) || hasRootfs(image.id()) || !filter.test(image)) {
                continue;
            }
            Map<String, String> tags = new TreeMap<>(catalog.tags());
            Map<String, String> digests = new TreeMap<>(catalog.digests());
            image.repoTags().forEach(t -> {
                tags.remove(t);
                out.add(Removed.untagged(t));
            });
            image.repoDigests().forEach(d -> {
                digests.remove(d);
                out.add(Removed.untagged(d));
            });
            out.add(delete(image, tags, digests));
        }
        return out;
    }

    private Removed delete(StoredImage image, Map<String, String> tags, Map<String, String> digests) {
        Map<String, String> ids = new TreeMap<>(catalog.images());
        ids.remove(image.id());
        commit(new Catalog(ids, tags, digests));
        long reclaimed = 0;
        try {
            Files.deleteIfExists(blob(image.id()));
            for (String diffId : image.diffIds()) {
                String hex = hexOf(diffId);
                if (!referenced(hex)) {
                    reclaimed += layerSize(hex);
                    Trees.delete(root.resolve("layers").resolve(hex));
                }
            }
        } catch (IOException e) {
            LOG.warning("image " + image.id() + " removed, its files not all: " + e.getMessage()
                    + " (the next start sweeps them)");
        }
        return new Removed(null, image.id(), reclaimed);
    }

    private static boolean isIdReference(StoredImage image, String reference) {
        String hex = reference.startsWith("sha256:") ? reference.substring(7) : reference;
        return HEX.matcher(hex).matches() && image.id().startsWith("sha256:" + hex)
                && !image.repoTags().contains(reference + ":latest") && !image.repoTags().contains(reference);
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    // ---------------------------------------------------------------- container roots

    @Override
    public String mountRootfs(SandboxId id, String imageId) {
        StoredImage image;
        String lower;
        synchronized (this) {
            image = images.containsKey(imageId) ? images.get(imageId) : resolve(imageId).orElse(null);
            if (image == null) {
                throw new NotFoundException("No such image: " + imageId);
            }
            lower = lowerdirOption(image.diffIds());
        }
        Path merged = rootfsDir.resolve(id.value());
        Path own = root.resolve("containers").resolve(id.value());
        synchronized (mounts) {
            return mount(merged, own, image, lower, id);
        }
    }

    private String mount(Path merged, Path own, StoredImage image, String lower, SandboxId id) {
        boolean fresh = !Files.exists(own);
        try {
            if (overlay.isMounted(merged)) {
                return merged.toString();
            }
            Files.createDirectories(own.resolve("upper"));
            Files.createDirectories(own.resolve("work"));
            Path imageFile = own.resolve("image");
            if (!Files.exists(imageFile)) {
                Trees.writeAtomically(imageFile, image.id().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            Files.createDirectories(merged);
            overlay.mount(merged, lower, own.resolve("upper"), own.resolve("work"));
            return merged.toString();
        } catch (IOException | RuntimeException e) {
            if (fresh) {
                // nothing half-made: a first mount that failed leaves no directory behind
                try {
                    Files.deleteIfExists(merged); // an empty directory: never a tree walk through a mount
                } catch (IOException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                Trees.deleteQuietly(own, e);
            }
            if (e instanceof IOException io) {
                throw StreamCopy.storage("mount the root filesystem of " + id.shortId(), io);
            }
            throw new InternalException("mount the root filesystem of " + id.shortId() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void releaseRootfs(SandboxId id) {
        release(id.value());
    }

    @Override
    public void releaseOthers(Set<SandboxId> known) {
        Set<String> keep = new HashSet<>();
        known.forEach(k -> keep.add(k.value()));
        Set<String> found = new HashSet<>();
        found.addAll(children(root.resolve("containers")));
        found.addAll(children(rootfsDir));
        for (String name : found) {
            if (!keep.contains(name)) {
                LOG.info("releasing the root filesystem of " + name + ", a container no longer stored");
                release(name);
            }
        }
    }

    private void release(String id) {
        Path merged = rootfsDir.resolve(id);
        synchronized (mounts) {
            unmountAndDelete(id, merged);
        }
    }

    private void unmountAndDelete(String id, Path merged) {
        try {
            overlay.unmount(merged);
            Files.deleteIfExists(merged);
            Trees.delete(root.resolve("containers").resolve(id));
        } catch (IOException e) {
            throw new InternalException("release the root filesystem of " + id + ": " + e.getMessage(), e);
        }
    }

    private boolean hasRootfs(String imageId) {
        for (String name : children(root.resolve("containers"))) {
            try {
                if (Files.readString(root.resolve("containers").resolve(name).resolve("image")).strip().equals(imageId)) {
                    return true;
                }
            } catch (IOException e) {
                // a container dir without its image file: made by a crash before it was written
            }
        }
        return false;
    }

    /**
     * The overlay's {@code lowerdir=} value: the image's layers top first. The kernel takes at most
     * one page of mount options; past it the image is refused (about 35 layers under
     * {@code /var/lib/berth}).
     */
    private String lowerdirOption(List<String> diffIds) {
        List<String> dirs = new ArrayList<>();
        for (int i = diffIds.size() - 1; i >= 0; i--) {
            dirs.add(layerDir(diffIds.get(i)).toString());
        }
        if (dirs.isEmpty()) {
            Path empty = root.resolve("empty");
            try {
                Files.createDirectories(empty);
            } catch (IOException e) {
                throw new InternalException("make " + empty + ": " + e.getMessage(), e);
            }
            dirs.add(empty.toString());
        }
        String lower = String.join(":", dirs);
        int room = PAGE - 1 - ("lowerdir=,upperdir=,workdir=".length()
                + 2 * root.resolve("containers").resolve("x".repeat(64)).resolve("upper").toString().length());
        if (lower.length() > room) {
            throw new InvalidParameterException("image has too many layers for one overlay mount: " + diffIds.size()
                    + " layers need " + lower.length() + " bytes of mount options, at most " + room + " fit");
        }
        return lower;
    }

    // ---------------------------------------------------------------- catalog

    private void load() throws IOException {
        Path file = root.resolve("catalog.json");
        catalog = Files.exists(file) ? mapper.readValue(file.toFile(), Catalog.class)
                : new Catalog(Map.of(), Map.of(), Map.of());
        rebuild();
    }

    /** Replaces catalog.json (the commit point), then the in-memory view. */
    private void commit(Catalog next) {
        try {
            Trees.writeAtomically(root.resolve("catalog.json"), mapper.writeValueAsBytes(next));
        } catch (JsonProcessingException e) {
            throw new InternalException("encode image catalog: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InternalException("write image catalog: " + e.getMessage(), e);
        }
        catalog = next;
        rebuild();
    }

    private void rebuild() {
        images.clear();
        for (Map.Entry<String, String> entry : catalog.images().entrySet()) {
            String id = entry.getKey();
            try {
                JsonNode config = mapper.readTree(Files.readAllBytes(blob(id)));
                List<String> diffIds = diffIds(config);
                long size = 0;
                for (String diffId : diffIds) {
                    size += layerSize(hexOf(diffId));
                }
                List<String> tags = catalog.tags().entrySet().stream().filter(e -> e.getValue().equals(id))
                        .map(Map.Entry::getKey).sorted().toList();
                List<String> digests = catalog.digests().entrySet().stream().filter(e -> e.getValue().equals(id))
                        .map(Map.Entry::getKey).sorted().toList();
                images.put(id, new StoredImage(id, config, diffIds, size, tags, digests,
                        entry.getValue() == null ? null : Instant.parse(entry.getValue())));
            } catch (IOException | RuntimeException e) {
                LOG.severe("image " + id + " is unreadable and left out: " + e.getMessage());
            }
        }
    }

    /** Bytes of regular files in the layer with this diff id; 0 when it is not in the store. */
    public long layerSizeOf(String diffId) {
        return layerSize(hexOf(diffId));
    }

    private long layerSize(String hex) {
        try {
            return Long.parseLong(Files.readString(root.resolve("layers").resolve(hex).resolve("size")).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private boolean referenced(String layerHex) {
        if (pending.containsKey(layerHex)) {
            return true;
        }
        for (StoredImage image : images.values()) {
            for (String diffId : image.diffIds()) {
                if (hexOf(diffId).equals(layerHex)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Start-up: staging leftovers, temp files, blobs and layers of no image in the catalog. */
    private synchronized void sweep() throws IOException {
        for (String name : children(root.resolve("tmp"))) {
            Trees.delete(root.resolve("tmp").resolve(name));
        }
        Files.deleteIfExists(root.resolve(".tmp-catalog.json"));
        Set<String> blobs = new HashSet<>();
        Set<String> layers = new HashSet<>();
        for (String id : catalog.images().keySet()) {
            blobs.add(hexOf(id));
            StoredImage image = images.get(id);
            if (image != null) {
                image.diffIds().forEach(d -> layers.add(hexOf(d)));
            }
        }
        for (String name : children(root.resolve("blobs/sha256"))) {
            if (!blobs.contains(name)) {
                LOG.info("image store: removing " + name + ", a config blob of no image");
                Trees.delete(root.resolve("blobs/sha256").resolve(name));
            }
        }
        for (String name : children(root.resolve("layers"))) {
            if (!layers.contains(name)) {
                LOG.info("image store: removing layer " + name + ", of no image");
                Trees.delete(root.resolve("layers").resolve(name));
            }
        }
    }

    private static List<String> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new InternalException("list " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path blob(String id) {
        return root.resolve("blobs/sha256").resolve(hexOf(id));
    }

    private static String hexOf(String digest) {
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        if (!hex.matches("[a-f0-9]{64}")) {
            throw new InvalidParameterException("invalid digest " + digest);
        }
        return hex;
    }

    /** Hex sha256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new InternalException("no SHA-256", e);
        }
    }

    /** For tests and the API: the supplier of image users, read once per call. */
    public static Map<String, String> users(Supplier<Map<String, String>> supplier) {
        Map<String, String> users = supplier == null ? null : supplier.get();
        return users == null ? Map.of() : users;
    }
}
