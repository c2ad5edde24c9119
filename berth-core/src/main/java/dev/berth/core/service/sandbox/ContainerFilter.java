package dev.berth.core.service.sandbox;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.service.event.Criteria;
import dev.berth.core.service.state.Attachment;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code GET /containers/json} filters Berth supports, with moby's semantics: values of one key
 * OR-ed, keys AND-ed; {@code name} and {@code id} match exactly or as a regular-expression search
 * ({@code name} against {@code /name}); {@code status} (created, restarting, running, removing,
 * paused, exited, dead), {@code exited} (exit status of an exited container), {@code label},
 * {@code network} (name or id), {@code ancestor} (the image as named, or its id or a prefix of it).
 *
 * @param criteria key to its values, as decoded from the {@code filters} query parameter
 */
public record ContainerFilter(Map<String, Set<String>> criteria) {
    private static final Set<String> KEYS = Set.of("status", "name", "id", "label", "network", "ancestor", "exited");
    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused",
            "exited", "dead");

    public ContainerFilter {
        criteria = Map.copyOf(criteria);
        for (String key : criteria.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidParameterException("invalid filter '" + key + "'");
            }
        }
        for (String s : criteria.getOrDefault("status", Set.of())) {
            if (!STATUSES.contains(s)) {
                throw new InvalidParameterException("invalid filter 'status=" + s + "'");
            }
        }
        for (String s : criteria.getOrDefault("exited", Set.of())) {
            if (!s.matches("-?[0-9]{1,9}")) {
                throw new InvalidParameterException("invalid filter 'exited=" + s + "'");
            }
        }
    }

    /** Whether a {@code status} filter is given: then every container is a candidate, as with {@code all}. */
    public boolean impliesAll() {
        return !criteria.getOrDefault("status", Set.of()).isEmpty();
    }

    /** Tests one sandbox and its process. */
    public boolean matches(SandboxView view, ProcessState process) {
        Criteria c = new Criteria(criteria);
        String id = view.sandbox().id().value();
        ContainerConfig config = process.container();
        Map<String, String> labels = config == null ? Map.of() : config.labels();
        return c.any("name", v -> exactOrSearch(v, "/" + view.sandbox().name()) || v.equals(view.sandbox().name()))
                && c.any("id", v -> id.startsWith(v) || exactOrSearch(v, id))
                && c.any("status", v -> v.equals(process.status().wire()))
                && c.any("exited", v -> process.status() == ProcessState.Status.EXITED
                        && Integer.parseInt(v) == process.exitCode())
                && c.all("label", v -> Criteria.labelMatches(labels, v))
                && c.any("network", v -> view.attachments().stream().anyMatch(a -> onNetwork(a, v)))
                && c.any("ancestor", v -> config != null && ancestor(config, v));
    }

    private static boolean onNetwork(Attachment a, String v) {
        return a.network().name().equals(v) || a.network().id().value().equals(v);
    }

    private static boolean ancestor(ContainerConfig config, String v) {
        String hex = config.imageId().startsWith("sha256:") ? config.imageId().substring(7) : config.imageId();
        String want = v.startsWith("sha256:") ? v.substring(7) : v;
        return config.image().equals(v) || ContainerPlanner.familiar(config.image()).equals(ContainerPlanner.familiar(v))
                || (want.length() >= 4 && hex.startsWith(want));
    }

    private static boolean exactOrSearch(String pattern, String value) {
        if (pattern.equals(value)) {
            return true;
        }
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}
