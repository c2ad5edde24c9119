package dev.berth.daemon.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The manifest formats a pull understands: Docker schema 2 and OCI image manifests, Docker manifest
 * lists and OCI image indexes; parsed, checked (digests well formed, sizes not negative) and, for
 * an index, narrowed to the entry of one platform.
 */
public final class Manifests {
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String SCHEMA1 = "application/vnd.docker.distribution.manifest.v1";

    /** The {@code Accept} values of a manifest request, in the order dockerd sends them. */
    public static final List<String> ACCEPT = List.of(DOCKER_MANIFEST, DOCKER_LIST, OCI_MANIFEST, OCI_INDEX);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    private Manifests() {
    }

    /**
     * A content descriptor.
     *
     * @param platform the platform of an index entry, null elsewhere
     */
    public record Descriptor(String mediaType, String digest, long size, Platform platform) {
    }

    /** A parsed manifest: an image, or an index over images. */
    public sealed interface Manifest permits Image, Index {
        String mediaType();
    }

    /** An image manifest: the config blob and the layers, bottom first. */
    public record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements Manifest {
        public Image {
            layers = List.copyOf(layers);
        }
    }

    /** An index (manifest list): one manifest per platform. */
    public record Index(String mediaType, List<Descriptor> manifests) implements Manifest {
        public Index {
            manifests = List.copyOf(manifests);
        }
    }

    /**
     * Parses a manifest body. The media type is the body's {@code mediaType} field, else the
     * response's {@code Content-Type}; schema 1 and unknown types are refused.
     */
    public static Manifest parse(byte[] body, String contentType) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidParameterException("invalid manifest: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidParameterException("invalid manifest: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidParameterException("invalid manifest: not a JSON object");
        }
        String type = root.path("mediaType").asText("");
        if (type.isEmpty()) {
            type = contentType == null ? "" : contentType.split(";")[0].trim();
        }
        if (type.startsWith(SCHEMA1) || root.path("schemaVersion").asInt() == 1) {
            throw new InvalidParameterException("Docker Image Format v1 and Docker Image manifest version 2, schema 1"
                    + " support has been removed. Suggest the author of the image to upgrade it to"
                    + " image manifest version 2, schema 2");
        }
        // An OCI body may leave out mediaType; its fields tell which one it is.
        if (type.isEmpty() || type.equals("application/json")) {
            type = root.has("manifests") ? OCI_INDEX : root.has("config") ? OCI_MANIFEST : type;
        }
        return switch (type) {
            case DOCKER_MANIFEST, OCI_MANIFEST -> image(type, root);
            case DOCKER_LIST, OCI_INDEX -> index(type, root);
            default -> throw new InvalidParameterException("unsupported media type " + (type.isEmpty() ? "(none)" : type));
        };
    }

    private static Image image(String type, JsonNode root) {
        Descriptor config = descriptor(root.path("config"), "config");
        if (!config.mediaType().equals(DOCKER_CONFIG) && !config.mediaType().equals(OCI_CONFIG)) {
            throw new InvalidParameterException("Encountered remote \"" + config.mediaType()
                    + "\"(unknown) when fetching");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode layer : root.path("layers")) {
            layers.add(descriptor(layer, "layer"));
        }
        return new Image(type, config, layers);
    }

    private static Index index(String type, JsonNode root) {
        List<Descriptor> entries = new ArrayList<>();
        for (JsonNode entry : root.path("manifests")) {
            Descriptor d = descriptor(entry, "manifest");
            JsonNode p = entry.path("platform");
            Platform platform = p.isObject()
                    ? new Platform(p.path("os").asText(""), p.path("architecture").asText(""), p.path("variant").asText(""))
                    : null;
            entries.add(new Descriptor(d.mediaType(), d.digest(), d.size(), platform));
        }
        return new Index(type, entries);
    }

    private static Descriptor descriptor(JsonNode node, String what) {
        String digest = node.path("digest").asText("");
        if (!DIGEST.matcher(digest).matches()) {
            throw new InvalidParameterException("invalid manifest: " + what + " digest \"" + digest
                    + "\" is not sha256:<64 hex digits>");
        }
        long size = node.path("size").asLong(-1);
        if (size < 0) {
            throw new InvalidParameterException("invalid manifest: " + what + " " + digest + " has no size");
        }
        return new Descriptor(node.path("mediaType").asText(""), digest, size, null);
    }

    /**
     * The entry of {@code index} for {@code platform}: the first whose platform matches, among entries of
     * an image manifest type (others, like attestations, are skipped as the OCI spec says).
     */
    public static Optional<Descriptor> select(Index index, Platform platform) {
        return index.manifests().stream()
                .filter(d -> d.platform() != null && platform.matches(d.platform()))
                .filter(d -> d.mediaType().isEmpty() || ACCEPT.contains(d.mediaType()))
                .findFirst();
    }

    /** {@link #select}, or moby's error when no entry fits. */
    public static Descriptor require(Index index, Platform platform) {
        return select(index, platform).orElseThrow(() -> new NotFoundException(
                "no matching manifest for " + platform + " in the manifest list entries"));
    }
}
