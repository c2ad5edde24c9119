package dev.berth.daemon.api;

import dev.berth.api.types.VolumeListResponse;
import dev.berth.api.types.VolumePruneReport;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import java.util.List;
import java.util.Set;

/**
 * {@code /volumes} routes, answered as a dockerd without volumes answers them: Berth makes none
 * (containers get bind mounts and tmpfs only), so the list is empty, a prune removes nothing and a
 * volume looked up by name is moby's 404. Clients clean up with these routes (Testcontainers' shutdown
 * hook prunes volumes, the Python SDK's {@code volumes.prune()}); a 404 "page not found" would fail
 * them. Creating one is a 400 saying why.
 */
final class VolumeEndpoints {
    /** What moby's {@code POST /volumes/prune} accepts. */
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");
    static final String NO_VOLUMES = "Berth has no volumes: containers get bind mounts and tmpfs only";

    private final Filters filters;

    VolumeEndpoints(Filters filters) {
        this.filters = filters;
    }

    void register(Routes routes) {
        routes.add("GET", "/volumes", request -> {
            filters.parse(request.query("filters").orElse(null));
            return Reply.ok(new VolumeListResponse(List.of(), null));
        });
        routes.add("POST", "/volumes/prune", request -> {
            for (String key : filters.parse(request.query("filters").orElse(null)).keySet()) {
                if (!PRUNE_FILTERS.contains(key)) {
                    throw new InvalidParameterException("invalid filter '" + key + "'");
                }
            }
            return Reply.ok(new VolumePruneReport(null, 0));
        });
        routes.add("POST", "/volumes/create", request -> {
            throw new InvalidParameterException(NO_VOLUMES);
        });
        routes.add("GET", "/volumes/{name}", request -> {
            throw noSuchVolume(request.pathParameter(0));
        });
        // with force, moby ignores a volume that does not exist
        routes.add("DELETE", "/volumes/{name}", request -> {
            if (request.queryFlag("force")) {
                return new Reply.Empty(204);
            }
            throw noSuchVolume(request.pathParameter(0));
        });
    }

    private static NotFoundException noSuchVolume(String name) {
        return new NotFoundException("get " + name + ": no such volume");
    }
}
