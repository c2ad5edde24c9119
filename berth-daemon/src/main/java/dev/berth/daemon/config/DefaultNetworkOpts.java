package dev.berth.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.PredefinedNetworks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * daemon.json {@code default-network-opts} (Docker 24+): {@code {"<driver>": {"<option>": "<value>"}}},
 * the driver options a new network of that driver gets unless its create request gives them.
 * Values must be strings, as dockerd's {@code map[string]map[string]string} requires. The
 * {@code bridge} entry is checked as the bridge driver checks a request's options, so a bad value
 * stops start-up instead of failing every create later. Its gateway modes also apply to the
 * default bridge (a Berth extension), except {@code isolated}, which needs an internal network:
 * a warning says so.
 */
final class DefaultNetworkOpts {
    static final String KEY = "default-network-opts";
    private static final String SHAPE = KEY + " must map driver names to objects of option names and string values,"
            + " e.g. {\"bridge\": {\"" + PredefinedNetworks.OPT_GATEWAY_MODE_IPV6 + "\": \"routed\"}}";

    private DefaultNetworkOpts() {
    }

    /**
     * The options per driver; {@code problem} turns a reason into the error naming the file and
     * line, {@code warnings} collects what start-up logs.
     */
    static Map<String, Map<String, String>> parse(JsonNode value, Function<String, ConfigException> problem,
                                                  List<String> warnings) {
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw problem.apply(SHAPE + "; got " + value);
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> driver : value.properties()) {
            if (!driver.getValue().isObject()) {
                throw problem.apply(SHAPE + "; driver \"" + driver.getKey() + "\" has " + driver.getValue());
            }
            Map<String, String> options = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> option : driver.getValue().properties()) {
                if (!option.getValue().isTextual()) {
                    throw problem.apply(KEY + ": option \"" + option.getKey() + "\" of driver \"" + driver.getKey()
                            + "\" must be a string; got " + option.getValue());
                }
                options.put(option.getKey(), option.getValue().asText());
            }
            out.put(driver.getKey(), Map.copyOf(options));
        }
        Map<String, String> bridge = out.getOrDefault(PredefinedNetworks.DRIVER_BRIDGE, Map.of());
        try {
            BridgeOptions.parse(bridge, false);
        } catch (InvalidParameterException e) {
            throw problem.apply(KEY + " of driver \"bridge\": " + e.getMessage());
        }
        for (String key : List.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV4, PredefinedNetworks.OPT_GATEWAY_MODE_IPV6)) {
            if (GatewayMode.ISOLATED.text().equals(bridge.get(key))) {
                warnings.add(KEY + ": " + key + " \"isolated\" applies to internal networks only; the default bridge"
                        + " keeps gateway mode nat for that family, and every new network that is not internal"
                        + " must give another mode");
            }
        }
        return Map.copyOf(out);
    }
}
