package dev.berth.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.service.network.NdpProxySetting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * daemon.json {@code ndp-proxy} (Berth's own option): {@code "auto"} (the default: every interface
 * whose on-link IPv6 prefix holds a routed network's subnet), {@code false} (no NDP proxy
 * entries), or a list of interface names (only those). Each named interface must exist when the
 * configuration is read, in the daemon's own network namespace: a misspelt name stops start-up
 * instead of silently leaving the sandboxes unreachable.
 */
final class NdpProxyOption {
    static final String KEY = "ndp-proxy";
    private static final String SHAPE = KEY + " must be \"auto\", false or a list of interface names, e.g. [\"eth0\"]";
    /** The interfaces of the namespace of the process reading it (the daemon's). */
    private static final Path NET_DEV = Path.of("/proc/self/net/dev");

    private NdpProxyOption() {
    }

    /**
     * The setting; {@code problem} turns a reason into the error naming the file and line,
     * {@code exists} says whether an interface of that name exists.
     */
    static NdpProxySetting parse(JsonNode value, Function<String, ConfigException> problem, Predicate<String> exists) {
        if (value == null) {
            return NdpProxySetting.AUTO;
        }
        if (value.isTextual() && value.asText().equals("auto")) {
            return NdpProxySetting.AUTO;
        }
        if (value.isBoolean() && !value.asBoolean() || value.isTextual() && value.asText().equals("false")) {
            return NdpProxySetting.OFF;
        }
        if (!value.isArray()) {
            throw problem.apply(SHAPE + "; got " + value);
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode name : value) {
            if (!name.isTextual() || name.asText().isEmpty()) {
                throw problem.apply(SHAPE + "; got " + name + " in the list");
            }
            if (!names.add(name.asText())) {
                throw problem.apply(KEY + ": interface \"" + name.asText() + "\" is listed twice");
            }
        }
        if (names.isEmpty()) {
            throw problem.apply(KEY + " lists no interface; use false to turn NDP proxying off");
        }
        for (String name : names) {
            if (!exists.test(name)) {
                throw problem.apply(KEY + ": interface \"" + name + "\" does not exist (interfaces: "
                        + String.join(", ", interfaces()) + ")");
            }
        }
        return NdpProxySetting.only(List.copyOf(names));
    }

    /** Whether the daemon's namespace has an interface of this name. */
    static boolean exists(String name) {
        return interfaces().contains(name);
    }

    /** The names of the daemon's namespace's interfaces, from {@code /proc/self/net/dev}; empty when unreadable. */
    static List<String> interfaces() {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(NET_DEV)) {
                int colon = line.indexOf(':');
                // The two header lines have '|' before any ':'; a device name holds neither.
                if (colon > 0 && line.lastIndexOf('|', colon) < 0) {
                    out.add(line.substring(0, colon).trim());
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
