package dev.berth.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a reloaded configuration changes against the running one, option by option
 * ({@link ConfigKey}): those a reload applies, and those that need a restart.
 *
 * @param live    changed options a reload applies, in {@link ConfigKey} order
 * @param restart changed options that take effect only at the next start
 * @param lines   one {@code key: old -> new} per changed option, live ones first
 */
public record ConfigDiff(List<ConfigKey> live, List<ConfigKey> restart, List<String> lines) {
    public ConfigDiff {
        live = List.copyOf(live);
        restart = List.copyOf(restart);
        lines = List.copyOf(lines);
    }

    public static ConfigDiff of(DaemonConfig running, DaemonConfig loaded) {
        List<ConfigKey> live = new ArrayList<>();
        List<ConfigKey> restart = new ArrayList<>();
        List<String> liveLines = new ArrayList<>();
        List<String> restartLines = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            String before = key.value(running);
            String after = key.value(loaded);
            if (before.equals(after)) {
                continue;
            }
            String line = key.key() + ": " + shown(before) + " -> " + shown(after);
            if (key.reload() == ConfigKey.Reload.LIVE) {
                live.add(key);
                liveLines.add(line);
            } else {
                restart.add(key);
                restartLines.add(line);
            }
        }
        List<String> lines = new ArrayList<>(liveLines);
        lines.addAll(restartLines);
        return new ConfigDiff(live, restart, lines);
    }

    public boolean isEmpty() {
        return live.isEmpty() && restart.isEmpty();
    }

    /** The names of the options that need a restart, comma-separated. */
    public String restartNames() {
        return restart.stream().map(ConfigKey::key).collect(Collectors.joining(", "));
    }

    private static String shown(String value) {
        return value.isEmpty() ? "(unset)" : value;
    }
}
