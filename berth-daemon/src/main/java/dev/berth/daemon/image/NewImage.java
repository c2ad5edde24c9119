package dev.berth.daemon.image;

import java.nio.file.Path;
import java.util.List;

/**
 * An image ready to be added: its config as received (its sha256 is the image id), its layer blobs
 * in the order of the config's {@code rootfs.diff_ids} (files on disk, plain or gzip tars; each is
 * checked against its diff id while it is unpacked), and the names it gets.
 *
 * @param config      the image config's bytes
 * @param layers      layer blobs, bottom first, staged under {@link DiskImageStore#staging()}; a null entry
 *                    is a layer the store has already ({@link DiskImageStore#hasLayer}: pull skips its download)
 * @param repoTags    {@code repository:tag} names (familiar form) it is tagged with
 * @param repoDigests {@code repository@sha256:...} names (pull knows the manifest's digest)
 */
public record NewImage(byte[] config, List<Path> layers, List<String> repoTags, List<String> repoDigests) {
    public NewImage {
        config = config.clone();
        layers = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(layers));
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    @Override
    public byte[] config() {
        return config.clone();
    }
}
