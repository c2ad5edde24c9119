package dev.berth.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.spi.ImageStore;
import dev.berth.daemon.image.registry.Manifests;
import dev.berth.daemon.image.registry.Platform;
import dev.berth.daemon.image.registry.RegistryClient;
import dev.berth.daemon.image.registry.RemoteRepository;
import dev.berth.daemon.image.registry.VerifyingInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code docker pull}: a reference resolved at its registry ({@link #resolve}, before anything is
 * streamed, so its errors are HTTP errors as in moby), then the config and the layers the store
 * lacks fetched into a staging directory, each checked against its digest as it streams, and the
 * image handed to the store ({@link DiskImageStore#add}, all or nothing) with its tag and its
 * {@code repository@digest} name. A failure anywhere leaves nothing: the staging directory is
 * deleted and the store is not touched. Progress is reported in moby's words.
 */
public final class RegistryPull {

    /** Receives the pull's progress messages (moby's {@code status}/{@code id}/{@code progressDetail}). */
    public interface Progress {
        /** A status line; {@code id} is {@code ""} for messages about the whole pull. */
        void status(String id, String status);

        /** A byte count of {@code Downloading}. */
        void progress(String id, String status, long current, long total);
    }

    /**
     * A resolved pull.
     *
     * @param reference  what was asked for (a tag, {@code latest} when none, or a digest)
     * @param repository the registry conversation
     * @param resolved   the manifest the reference names, narrowed to the platform
     */
    public record Plan(ImageReference reference, RemoteRepository repository, RemoteRepository.Resolved resolved) {
        /** The tag or digest asked for, as moby's progress names it. */
        public String tagOrDigest() {
            return reference.digest().isEmpty() ? (reference.tag().isEmpty() ? "latest" : reference.tag())
                    : reference.digest();
        }

        /** {@code repository:tag} or {@code repository@digest}: the pull's name in its last line. */
        public String familiar() {
            return reference.digest().isEmpty() ? reference.repoTag() : reference.repository() + "@" + reference.digest();
        }
    }

    private static final Set<String> LAYER_TYPES = Set.of(
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "application/vnd.docker.image.rootfs.diff.tar",
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar");
    private static final long PROGRESS_STEP = 512 * 1024;

    private final DiskImageStore store;
    private final RegistryClient client;
    private final ObjectMapper mapper = new ObjectMapper();

    public RegistryPull(DiskImageStore store, RegistryClient client) {
        this.store = store;
        this.client = client;
    }

    /**
     * Resolves {@code reference} (tag {@code latest} when it has neither tag nor digest) at its
     * registry for {@code platform}: {@code GET /v2/}, the token if asked for, the manifest and, for
     * an index, the platform's manifest. Nothing is stored yet.
     */
    public Plan resolve(ImageReference reference, Platform platform) {
        RemoteRepository repository = client.open(reference.domain(), reference.path(), reference.repository());
        String tagOrDigest = reference.digest().isEmpty() ? (reference.tag().isEmpty() ? "latest" : reference.tag())
                : reference.digest();
        try {
            return new Plan(reference, repository, repository.resolve(tagOrDigest, platform));
        } catch (RuntimeException e) {
            repository.close();
            throw e;
        }
    }

    /** Fetches what the store lacks and adds the image; returns it. Ends the plan's registry session. */
    public StoredImage pull(Plan plan, Progress progress) {
        try (RemoteRepository session = plan.repository()) {
            return fetchAndAdd(plan, progress);
        }
    }

    private StoredImage fetchAndAdd(Plan plan, Progress progress) {
        Manifests.Image manifest = plan.resolved().image();
        progress.status(plan.tagOrDigest(), "Pulling from " + plan.reference().path());
        for (Manifests.Descriptor layer : manifest.layers()) {
            if (!LAYER_TYPES.contains(layer.mediaType())) {
                throw new InvalidParameterException("unsupported layer media type " + layer.mediaType()
                        + " (" + layer.digest() + ")");
            }
        }
        byte[] config = plan.repository().config(manifest.config());
        List<String> diffIds = diffIds(config);
        if (diffIds.size() != manifest.layers().size()) {
            throw new InvalidParameterException("invalid image " + manifest.config().digest() + ": its config lists "
                    + diffIds.size() + " layers, its manifest " + manifest.layers().size());
        }
        String id = manifest.config().digest();
        String name = plan.familiar();
        Optional<String> before = store.find(name).map(ImageStore.Image::id);
        List<String> tags = plan.reference().digest().isEmpty() ? List.of(plan.reference().repoTag()) : List.of();
        List<String> digests = List.of(plan.reference().repository() + "@" + plan.resolved().digest());

        Path staging = store.staging();
        try {
            boolean haveImage = store.find(id).isPresent();
            List<Path> blobs = new ArrayList<>();
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < diffIds.size(); i++) {
                Manifests.Descriptor layer = manifest.layers().get(i);
                Path file = staging.resolve("layer-" + i);
                blobs.add(file);
                if (haveImage) {
                    continue; // moby skips the layers of an image it has, silently
                }
                if (Files.isDirectory(store.layerDir(diffIds.get(i)))) {
                    progress.status(shortId(layer.digest()), "Already exists");
                } else {
                    progress.status(shortId(layer.digest()), "Pulling fs layer");
                    missing.add(i);
                }
            }
            for (int i : missing) {
                download(plan.repository(), manifest.layers().get(i), blobs.get(i), progress);
            }
            StoredImage image = store.add(new NewImage(config, blobs, tags, digests));
            for (int i : missing) {
                progress.status(shortId(manifest.layers().get(i).digest()), "Pull complete");
            }
            progress.status("", "Digest: " + plan.resolved().digest());
            boolean newer = before.isEmpty() || !before.get().equals(id);
            progress.status("", "Status: " + (newer ? "Downloaded newer image for " : "Image is up to date for ") + name);
            return image;
        } finally {
            Trees.deleteQuietly(staging, null);
        }
    }

    private void download(RemoteRepository repository, Manifests.Descriptor layer, Path target, Progress progress) {
        String shortId = shortId(layer.digest());
        long next = 0;
        try (VerifyingInputStream in = repository.layer(layer); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (in.count() >= next) {
                    progress.progress(shortId, "Downloading", in.count(), layer.size());
                    next = in.count() + PROGRESS_STEP;
                }
            }
            progress.status(shortId, "Verifying Checksum");
            progress.status(shortId, "Download complete");
        } catch (VerifyingInputStream.VerificationException e) {
            throw new InternalException(e.getMessage(), e);
        } catch (IOException e) {
            throw new InternalException("download " + layer.digest() + ": " + e.getMessage(), e);
        }
    }

    private List<String> diffIds(byte[] config) {
        try {
            JsonNode root = mapper.readTree(config);
            List<String> out = new ArrayList<>();
            for (JsonNode id : root.path("rootfs").path("diff_ids")) {
                out.add(id.asText());
            }
            return out;
        } catch (IOException e) {
            throw new InvalidParameterException("invalid image config: " + e.getMessage(), e);
        }
    }

    /** moby's layer id in progress lines: the first 12 hex digits of the blob's digest. */
    static String shortId(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return hex.substring(0, Math.min(12, hex.length()));
    }
}
