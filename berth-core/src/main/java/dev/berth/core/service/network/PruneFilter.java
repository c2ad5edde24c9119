package dev.berth.core.service.network;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.Network;
import dev.berth.core.service.event.Criteria;
import dev.berth.core.service.event.FilterTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code POST /networks/prune} and {@code POST /containers/prune} filters (moby accepts the same three
 * keys for both): {@code until} (one value: a Go duration back from
 * now, a unix time or an RFC 3339 date/time), {@code label} (every value must match) and
 * {@code label!} (a network matching every value is kept).
 *
 * @param criteria key to its set of values, as decoded from the {@code filters} query parameter
 */
public record PruneFilter(Map<String, Set<String>> criteria) {
    private static final Set<String> KEYS = Set.of("until", "label", "label!");

    public PruneFilter {
        criteria = Map.copyOf(criteria);
        for (String key : criteria.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidParameterException("invalid filter '" + key + "'");
            }
        }
        Set<String> until = criteria.getOrDefault("until", Set.of());
        if (until.size() > 1) {
            throw new InvalidParameterException("more than one until filter specified");
        }
        until.forEach(v -> FilterTime.parse(v, Instant.EPOCH, java.time.ZoneOffset.UTC));
    }

    public static PruneFilter none() {
        return new PruneFilter(Map.of());
    }

    /** The cut-off: networks created after it are kept. */
    public Optional<Instant> until(Clock clock) {
        return criteria.getOrDefault("until", Set.of()).stream().findFirst()
                .map(v -> FilterTime.parse(v, clock.instant(), clock.getZone()));
    }

    /** Whether the filters let {@code network} go (predefined and in-use checks are the caller's). */
    public boolean matches(Network network, Optional<Instant> until) {
        return matches(network.labels(), network.created(), until);
    }

    /**
     * Whether the filters let an object with these labels, created then, go: also what {@code POST
     * /containers/prune} asks of a stopped container (its running state is the caller's to check).
     */
    public boolean matches(Map<String, String> labels, Instant created, Optional<Instant> until) {
        if (until.isPresent() && created.isAfter(until.get())) {
            return false;
        }
        Set<String> wanted = criteria.getOrDefault("label", Set.of());
        if (!wanted.stream().allMatch(v -> Criteria.labelMatches(labels, v))) {
            return false;
        }
        Set<String> unwanted = criteria.getOrDefault("label!", Set.of());
        return unwanted.isEmpty() || !unwanted.stream().allMatch(v -> Criteria.labelMatches(labels, v));
    }
}
