package dev.berth.daemon.api;

import dev.berth.api.types.ImageDeleteItem;
import dev.berth.api.types.ImageHistoryItem;
import dev.berth.api.types.ImageInspect;
import dev.berth.api.types.ImagePruneReport;
import dev.berth.api.types.ImageSummary;
import dev.berth.api.types.JsonMessage;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.daemon.image.ArchiveLoader;
import dev.berth.daemon.image.DiskImageStore;
import dev.berth.daemon.image.ImageReference;
import dev.berth.daemon.image.RootfsImport;
import dev.berth.daemon.image.StoredImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code /images} routes: load, import ({@code create?fromSrc=-}), list, inspect, history, tag, remove and
 * prune. Load and import read their (chunked, possibly large) bodies as streams: {@link BodyLimit}
 * lets these two routes through unlimited ({@link BodyLimit#STREAMED}), and the image code spools them to disk.
 */
public final class ImageEndpoints {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final ImageContext context;
    private final DiskImageStore store;
    private final Filters filters;
    private final JsonCodec json;

    ImageEndpoints(ImageContext context, Filters filters, JsonCodec json) {
        this.context = context;
        this.store = context.store();
        this.filters = filters;
        this.json = json;
    }

    void register(Routes routes) {
        routes.add("GET", "/images/json", this::list)
                .add("POST", "/images/load", this::load)
                .add("POST", "/images/create", this::create)
                .add("POST", "/images/prune", this::prune)
                .add("GET", "/images/{name:.+}/json", this::inspect)
                .add("GET", "/images/{name:.+}/history", this::history)
                .add("POST", "/images/{name:.+}/tag", this::tag)
                .add("DELETE", "/images/{name:.+}", this::remove);
    }

    private Reply load(ApiRequest request) {
        List<String> lines = readingWhole(request, () -> new ArchiveLoader(store).load(request.rawBody()));
        return messages(lines.stream().map(l -> JsonMessage.stream(l + "\n")).toList());
    }

    /**
     * Runs {@code work} on the request's body; when it fails before the body's end (a bad change,
     * a corrupt header), the rest is read and dropped before the error is answered. A client still
     * sending (the docker CLI streams the file) would otherwise get a reset instead of the error.
     */
    private static <T> T readingWhole(ApiRequest request, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            try (java.io.InputStream rest = request.rawBody()) {
                rest.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException | RuntimeException drained) {
                e.addSuppressed(drained);
            }
            throw e;
        }
    }

    private Reply create(ApiRequest request) {
        if (request.query("fromImage").filter(s -> !s.isEmpty()).isPresent()) {
            if (context.pull() == null) {
                throw new UnavailableException("pulling images is not available in this daemon");
            }
            return context.pull().pull(request);
        }
        String source = request.query("fromSrc").orElse("");
        if (!source.equals("-")) {
            throw new InvalidParameterException(source.isEmpty() ? "fromImage or fromSrc is required"
                    : "import from a URL is not supported: give the tar as the request body (fromSrc=-)");
        }
        StoredImage image = readingWhole(request, () -> {
            String repo = request.query("repo").orElse("");
            ImageReference name = repo.isEmpty() ? null : ImageReference.parse(repo, request.query("tag").orElse(""));
            if (name != null && !name.digest().isEmpty()) {
                throw new InvalidParameterException("cannot import digest reference");
            }
            return new RootfsImport(store, context.clock())
                    .importTar(request.rawBody(), name, request.queryValues("changes"), request.query("message").orElse(""));
        });
        return messages(List.of(JsonMessage.status(image.id())));
    }

    private Reply messages(List<JsonMessage> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lines.forEach(line -> out.writeBytes(json.encode(line)));
        return new Reply.Text(200, Dispatcher.JSON, out.toString(StandardCharsets.UTF_8), Map.of());
    }

    private Reply list(ApiRequest request) {
        Map<String, Set<String>> f = filters.parse(request.query("filters").orElse(null));
        for (String key : f.keySet()) {
            if (!List.of("dangling", "reference", "label", "before", "since").contains(key)) {
                throw new InvalidParameterException("invalid filter '" + key + "'");
            }
        }
        Predicate<StoredImage> filter = filter(f);
        List<ImageSummary> out = new ArrayList<>();
        for (StoredImage image : store.list()) {
            if (!filter.test(image)) {
                continue;
            }
            long containers = -1; // as moby: counted only when asked (shared-size), which costs a scan
            Instant created = image.created();
            Map<String, String> labels = image.labels();
            List<String> tags = image.repoTags();
            List<String> digests = image.repoDigests();
            if (f.containsKey("reference")) {
                // as moby: only the names that match are shown
                tags = tags.stream().filter(t -> matchesReference(f.get("reference"), t, t.lastIndexOf(':'))).toList();
                digests = digests.stream().filter(d -> matchesReference(f.get("reference"), d, d.indexOf('@'))).toList();
            }
            out.add(new ImageSummary(containers, created == null ? 0 : created.getEpochSecond(), image.id(),
                    labels.isEmpty() ? null : labels, "", digests, tags, -1, image.size()));
        }
        return Reply.ok(out);
    }

    private Predicate<StoredImage> filter(Map<String, Set<String>> f) {
        Predicate<StoredImage> out = image -> true;
        Set<String> dangling = f.getOrDefault("dangling", Set.of());
        if (!dangling.isEmpty()) {
            if (dangling.size() > 1 || !Set.of("true", "false", "1", "0").contains(dangling.iterator().next())) {
                throw new InvalidParameterException("invalid filter 'dangling=" + String.join(",", dangling) + "'");
            }
            boolean want = Set.of("true", "1").contains(dangling.iterator().next());
            out = out.and(image -> image.dangling() == want);
        }
        Set<String> references = f.getOrDefault("reference", Set.of());
        if (!references.isEmpty()) {
            out = out.and(image -> image.repoTags().stream().anyMatch(t -> matchesReference(references, t, t.lastIndexOf(':')))
                    || image.repoDigests().stream().anyMatch(d -> matchesReference(references, d, d.indexOf('@'))));
        }
        Set<String> labels = f.getOrDefault("label", Set.of());
        for (String label : labels) {
            int eq = label.indexOf('=');
            out = out.and(image -> eq < 0 ? image.labels().containsKey(label)
                    : label.substring(eq + 1).equals(image.labels().get(label.substring(0, eq))));
        }
        return out;
    }

    /** A {@code reference} filter's glob (as Go's {@code path.Match}) against a name or its repository. */
    private static boolean matchesReference(Set<String> patterns, String name, int repositoryEnd) {
        String repository = repositoryEnd > 0 ? name.substring(0, repositoryEnd) : name;
        for (String pattern : patterns) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            if (matcher.matches(Path.of(name)) || matcher.matches(Path.of(repository))) {
                return true;
            }
        }
        return false;
    }

    private Reply inspect(ApiRequest request) {
        StoredImage image = store.get(request.pathParameter(0));
        var config = image.config();
        Map<String, String> graph = new LinkedHashMap<>();
        List<String> dirs = new ArrayList<>();
        for (String diffId : image.diffIds()) {
            dirs.addFirst(store.layerDir(diffId).toString());
        }
        if (!dirs.isEmpty()) {
            graph.put("UpperDir", dirs.getFirst());
            if (dirs.size() > 1) {
                graph.put("LowerDir", String.join(":", dirs.subList(1, dirs.size())));
            }
        }
        Instant created = image.created();
        return Reply.ok(new ImageInspect(image.id(), image.repoTags(), image.repoDigests(), "",
                config.path("comment").asText(""), created == null ? "" : created.toString(),
                config.path("docker_version").asText(""), config.path("author").asText(""),
                config.has("config") ? config.get("config") : json.tree("{}"),
                config.path("architecture").asText(""), config.path("variant").asText(""),
                config.path("os").asText(""), image.size(),
                new ImageInspect.GraphDriver(graph.isEmpty() ? null : graph, "overlay2"),
                new ImageInspect.RootFs("layers", image.diffIds()),
                new ImageInspect.Metadata(image.lastTagTime() == null ? ZERO_TIME : image.lastTagTime().toString())));
    }

    /**
     * {@code docker history}: the config's history, newest first; an entry that made a layer has
     * that layer's size; the newest carries the image id and names, older ones {@code <missing>}.
     */
    private Reply history(ApiRequest request) {
        StoredImage image = store.get(request.pathParameter(0));
        List<ImageHistoryItem> out = new ArrayList<>();
        int layer = 0;
        for (var entry : image.config().path("history")) {
            long size = 0;
            if (!entry.path("empty_layer").asBoolean(false) && layer < image.diffIds().size()) {
                size = store.layerSizeOf(image.diffIds().get(layer++));
            }
            Instant created = null;
            try {
                created = entry.hasNonNull("created") ? Instant.parse(entry.get("created").asText()) : null;
            } catch (java.time.format.DateTimeParseException e) {
                // left at zero, as moby does with a time it cannot read
            }
            out.addFirst(new ImageHistoryItem(entry.path("comment").asText(""), created == null ? 0 : created.getEpochSecond(),
                    entry.path("created_by").asText(""), "<missing>", size, null));
        }
        if (out.isEmpty()) {
            Instant created = image.created();
            out.add(new ImageHistoryItem("", created == null ? 0 : created.getEpochSecond(), "", image.id(), image.size(), null));
        }
        ImageHistoryItem top = out.getFirst();
        out.set(0, new ImageHistoryItem(top.comment(), top.created(), top.createdBy(), image.id(), top.size(),
                image.repoTags().isEmpty() ? null : image.repoTags()));
        return Reply.ok(out);
    }

    private Reply tag(ApiRequest request) {
        String repo = request.query("repo").orElse("");
        if (repo.isEmpty()) {
            throw new InvalidParameterException("repository name (repo) is required");
        }
        store.tag(request.pathParameter(0), ImageReference.parse(repo, request.query("tag").orElse("")));
        return new Reply.Empty(201);
    }

    private Reply remove(ApiRequest request) {
        List<ImageDeleteItem> out = store.remove(request.pathParameter(0), request.queryFlag("force"),
                        DiskImageStore.users(context.users())).stream()
                .map(r -> new ImageDeleteItem(r.untagged(), r.deleted())).toList();
        return Reply.ok(out);
    }

    private Reply prune(ApiRequest request) {
        Map<String, Set<String>> f = filters.parse(request.query("filters").orElse(null));
        Set<String> dangling = f.getOrDefault("dangling", Set.of("true"));
        boolean all = dangling.contains("false") || dangling.contains("0");
        Map<String, Set<String>> rest = new LinkedHashMap<>(f);
        rest.remove("dangling");
        for (String key : rest.keySet()) {
            if (!key.equals("label")) {
                throw new InvalidParameterException("invalid filter '" + key + "'");
            }
        }
        List<DiskImageStore.Removed> removed = store.prune(all, DiskImageStore.users(context.users()), filter(rest));
        long reclaimed = removed.stream().mapToLong(DiskImageStore.Removed::reclaimed).sum();
        List<ImageDeleteItem> items = removed.stream().map(r -> new ImageDeleteItem(r.untagged(), r.deleted())).toList();
        return Reply.ok(new ImagePruneReport(items.isEmpty() ? null : items, reclaimed));
    }
}
