package dev.berth.daemon.api;

import dev.berth.daemon.image.DiskImageStore;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the image routes need.
 *
 * @param store the local images
 * @param users image id to the id of a container that uses it (rmi and prune refuse or skip those)
 * @param pull  {@code POST /images/create?fromImage=}: the registry client's hook; null when there is none
 * @param clock "now" for imported images
 */
public record ImageContext(DiskImageStore store, Supplier<Map<String, String>> users, ImagePull pull,
                           Clock clock) {
}
