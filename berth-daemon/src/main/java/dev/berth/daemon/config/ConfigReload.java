package dev.berth.daemon.config;

import dev.berth.core.service.sandbox.DefaultBridgeReconfigured;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A reload of daemon.json (SIGHUP, what {@code systemctl reload} sends), dockerd's way: the file is
 * read again and checked whole by the start-up loader, with the flags given at start merged over
 * it as at start (an option in both places is refused, as dockerd refuses it); an invalid file
 * changes nothing. Then each changed option a reload applies ({@link ConfigKey.Reload#LIVE}) is
 * applied by its {@link Step}; changed options that need a restart are named in a warning and
 * keep their running values. One log line lists what changed, and the daemon announces a
 * {@code daemon reload} event with the reloadable options' values, as dockerd does. Reloads run
 * one at a time (this object's monitor, taken before the services' write lock).
 */
public final class ConfigReload {
    private static final Logger LOG = Logger.getLogger(ConfigReload.class.getName());

    /**
     * How a group of reloadable options takes effect: the one place such an option is applied.
     * A step that may refuse the reload (it throws before it changes anything) comes before the
     * steps that cannot fail; a refusal of the first step that runs keeps the whole running
     * configuration.
     *
     * @param name  what it changes, for the log
     * @param keys  the options it applies
     * @param apply applies the configuration now in force; returns what it did, for the log line
     */
    public record Step(String name, Set<ConfigKey> keys, Function<DaemonConfig, String> apply) {
        public Step {
            keys = Set.copyOf(keys);
        }
    }

    /**
     * What a reload did.
     *
     * @param applied whether the new configuration is in force (false: refused, nothing changed)
     * @param diff    what the file changed (empty when it could not be read)
     * @param line    the log line that reported it
     */
    public record Outcome(boolean applied, ConfigDiff diff, String line) {
    }

    private final DaemonFlags flags;
    private final List<Step> steps;
    private final Consumer<Map<String, String>> announce;
    private DaemonConfig running;

    /**
     * @param running  the configuration the daemon started with
     * @param steps    in the order they run; together they apply every {@code LIVE} option exactly once
     * @param announce emits the {@code daemon reload} event with these attributes
     */
    public ConfigReload(DaemonFlags flags, DaemonConfig running, List<Step> steps,
                        Consumer<Map<String, String>> announce) {
        this.flags = flags;
        this.running = running;
        this.steps = List.copyOf(steps);
        this.announce = announce;
        Set<ConfigKey> covered = EnumSet.noneOf(ConfigKey.class);
        for (Step step : steps) {
            for (ConfigKey key : step.keys()) {
                if (key.reload() != ConfigKey.Reload.LIVE || !covered.add(key)) {
                    throw new IllegalArgumentException("step " + step.name() + " applies " + key.key()
                            + ", which is not LIVE or applied by another step");
                }
            }
        }
        List<String> missing = Arrays.stream(ConfigKey.values())
                .filter(k -> k.reload() == ConfigKey.Reload.LIVE && !covered.contains(k)).map(ConfigKey::key).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no reload step applies " + String.join(", ", missing));
        }
    }

    /** The configuration in force. */
    public synchronized DaemonConfig running() {
        return running;
    }

    /** Reads, checks and applies daemon.json again; see the class comment. Never throws. */
    public synchronized Outcome reload() {
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(flags);
        } catch (ConfigException e) {
            return refused(new ConfigDiff(List.of(), List.of(), List.of()), e.getMessage());
        } catch (RuntimeException e) {
            return refused(new ConfigDiff(List.of(), List.of(), List.of()), "cannot read the configuration: " + e);
        }
        loaded.warnings().forEach(LOG::warning);
        ConfigDiff diff = ConfigDiff.of(running, loaded.config());
        DaemonConfig next = running.reloaded(loaded.config());
        List<String> done = new ArrayList<>();
        boolean changedSomething = false;
        for (Step step : steps) {
            if (step.keys().stream().noneMatch(diff.live()::contains)) {
                continue;
            }
            try {
                String what = step.apply().apply(next);
                changedSomething = true;
                if (!what.isEmpty()) {
                    done.add(step.name() + ": " + what);
                }
            } catch (RuntimeException e) {
                if (!changedSomething) {
                    return refused(diff, step.name() + ": " + e.getMessage());
                }
                LOG.severe("reload: " + step.name() + " not applied: " + e.getMessage() + " (the rest was)");
                done.add(step.name() + ": not applied (" + e.getMessage() + ")");
            }
        }
        if (!diff.restart().isEmpty()) {
            LOG.warning("reload: " + diff.restartNames() + " changed in " + next.configFile()
                    + " but take effect only at the next start; the daemon keeps running with the values it started with");
        }
        running = next;
        String line = "Reloaded configuration: " + (diff.live().isEmpty() ? "no change to apply"
                : String.join(", ", diff.lines().subList(0, diff.live().size())))
                + (done.isEmpty() ? "" : " (" + String.join("; ", done) + ")");
        LOG.info(line);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.reload() == ConfigKey.Reload.LIVE) {
                attributes.put(key.key(), key.value(next));
            }
        }
        announce.accept(attributes);
        return new Outcome(true, diff, line);
    }

    private Outcome refused(ConfigDiff diff, String why) {
        String line = "reload failed, running configuration kept: " + why;
        LOG.severe(line);
        return new Outcome(false, diff, line);
    }

    /** The default bridge step's part of the log line: how many sandboxes were re-addressed, and failures. */
    public static String summary(DefaultBridgeReconfigured r) {
        List<String> parts = new ArrayList<>();
        if (!r.change().readdressed().isEmpty()) {
            parts.add(r.change().readdressed().size() + " endpoints re-addressed");
        }
        if (!r.failed().isEmpty()) {
            parts.add(r.failed().size() + " kernel changes failed (" + String.join("; ", r.failed()) + ")");
        }
        return String.join(", ", parts);
    }
}
