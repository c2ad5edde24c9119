package dev.berth.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cluster store of overlay networks ({@code cluster-store}, {@code cluster-advertise},
 * {@code cluster-store-opts}), as Docker's 1.9–20.10 daemons took them, for etcd only.
 *
 * @param endpoints  etcd's client URLs ({@code http://h1:2379}); empty: no cluster (no overlay networks)
 * @param advertise  the interface name or address other hosts reach this one at (a {@code :port} is dropped)
 * @param ttlSeconds {@code discovery.ttl}: how long this host's registration and endpoints outlive it
 */
public record ClusterSettings(List<String> endpoints, String advertise, int ttlSeconds) {
    public static final String STORE = "cluster-store";
    public static final String ADVERTISE = "cluster-advertise";
    public static final String OPTS = "cluster-store-opts";
    public static final int DEFAULT_TTL = 15;

    public ClusterSettings {
        endpoints = List.copyOf(endpoints);
    }

    public static ClusterSettings none() {
        return new ClusterSettings(List.of(), "", DEFAULT_TTL);
    }

    public boolean enabled() {
        return !endpoints.isEmpty();
    }

    /** For {@code ConfigKey}: the store as given back, e.g. {@code etcd://h1:2379,h2:2379}. */
    String storeText() {
        return endpoints.isEmpty() ? "" : "etcd://" + String.join(",", endpoints.stream()
                .map(e -> e.substring("http://".length())).toList());
    }

    /** Reads the three options from the merged configuration; {@code problem} makes the error. */
    static ClusterSettings parse(Map<String, JsonNode> values, Function<String, RuntimeException> problem) {
        JsonNode store = values.get(STORE);
        JsonNode advertise = values.get(ADVERTISE);
        JsonNode opts = values.get(OPTS);
        if (store == null || store.asText().isEmpty()) {
            if (advertise != null && !advertise.asText().isEmpty()) {
                throw problem.apply("invalid cluster configuration. --cluster-advertise must be accompanied by"
                        + " --cluster-store configuration");
            }
            return none();
        }
        if (!store.isTextual()) {
            throw problem.apply(STORE + " must be a string such as etcd://h1:2379,h2:2379");
        }
        String text = store.asText();
        if (!text.startsWith("etcd://")) {
            throw problem.apply("unsupported cluster store \"" + text + "\": Berth speaks to etcd only (etcd://h1:2379,...)");
        }
        List<String> endpoints = new ArrayList<>();
        for (String hostPort : text.substring("etcd://".length()).split(",")) {
            String trimmed = hostPort.strip();
            URI uri;
            try {
                uri = URI.create("http://" + trimmed);
            } catch (IllegalArgumentException e) {
                throw problem.apply("invalid etcd address \"" + trimmed + "\" in " + STORE);
            }
            if (trimmed.isEmpty() || uri.getHost() == null || uri.getPort() < 1
                    || (uri.getPath() != null && !uri.getPath().isEmpty())) {
                throw problem.apply("invalid etcd address \"" + trimmed + "\" in " + STORE + ": give host:port");
            }
            endpoints.add("http://" + trimmed);
        }
        if (advertise == null || advertise.asText().isBlank()) {
            throw problem.apply(STORE + " needs " + ADVERTISE + ": the interface or address the other hosts reach"
                    + " this one at");
        }
        int ttl = DEFAULT_TTL;
        if (opts != null) {
            if (!opts.isObject()) {
                throw problem.apply(OPTS + " must be an object of strings");
            }
            for (Map.Entry<String, JsonNode> e : opts.properties()) {
                switch (e.getKey()) {
                    case "discovery.ttl" -> ttl = seconds(e.getValue().asText(), problem);
                    case "discovery.heartbeat" -> seconds(e.getValue().asText(), problem);
                    default -> throw problem.apply("unsupported " + OPTS + " option \"" + e.getKey()
                            + "\" (Berth supports discovery.ttl and discovery.heartbeat; TLS to etcd is not done yet)");
                }
            }
        }
        String address = advertise.asText().strip();
        return new ClusterSettings(endpoints, stripPort(address), ttl);
    }

    private static int seconds(String text, Function<String, RuntimeException> problem) {
        String digits = text.endsWith("s") ? text.substring(0, text.length() - 1) : text;
        if (!digits.matches("[0-9]{1,5}") || Integer.parseInt(digits) < 2) {
            throw problem.apply("invalid duration \"" + text + "\" in " + OPTS + ": whole seconds, at least 2");
        }
        return Integer.parseInt(digits);
    }

    /** {@code eth0:2376} and {@code 198.51.100.1:2376} name the interface or address; the port is dockerd's, not ours. */
    private static String stripPort(String advertise) {
        if (advertise.startsWith("[")) {
            int end = advertise.indexOf(']');
            return end > 0 ? advertise.substring(1, end) : advertise;
        }
        int colon = advertise.indexOf(':');
        return colon >= 0 && colon == advertise.lastIndexOf(':') ? advertise.substring(0, colon) : advertise;
    }

    /** The advertise value as an address, if it is one (else it names an interface). */
    public Optional<String> advertiseAddress() {
        return advertise.matches("[0-9.]+|.*:.*") ? Optional.of(advertise) : Optional.empty();
    }
}
