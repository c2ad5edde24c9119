package dev.berth.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * An image of the store as the API shows it.
 *
 * @param id          {@code sha256:<hex>} of its config
 * @param config      the image config (the whole document: {@code config}, {@code created}, {@code rootfs}...)
 * @param diffIds     its layers' diff ids, bottom first
 * @param size        bytes of regular files in its layers
 * @param repoTags    its names, sorted
 * @param repoDigests its digest names, sorted
 * @param lastTagTime when it was last tagged, null when never
 */
public record StoredImage(String id, JsonNode config, List<String> diffIds, long size, List<String> repoTags,
                          List<String> repoDigests, Instant lastTagTime) {
    public StoredImage {
        diffIds = List.copyOf(diffIds);
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    /** Dangling: no name at all. */
    public boolean dangling() {
        return repoTags.isEmpty() && repoDigests.isEmpty();
    }

    /** The config's {@code created}, or null when absent or malformed. */
    public Instant created() {
        try {
            return config.hasNonNull("created") ? Instant.parse(config.get("created").asText()) : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The config's {@code config.Labels}, as text values. */
    public java.util.Map<String, String> labels() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        JsonNode labels = config.path("config").path("Labels");
        labels.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
