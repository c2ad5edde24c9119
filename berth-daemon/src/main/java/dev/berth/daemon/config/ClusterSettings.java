package dev.berth.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cluster.etcd.EtcdTls;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cluster store of overlay networks ({@code cluster-store}, {@code cluster-advertise},
 * {@code cluster-store-opts}), as Docker's 1.9–20.10 daemons took them, for etcd only.
 *
 * @param endpoints  etcd's client URLs ({@code http://h1:2379}); empty: no cluster (no overlay networks)
 * @param advertise  the interface name or address other hosts reach this one at (a {@code :port} is dropped)
 * @param ttlSeconds {@code discovery.ttl}: how long this host's registration and endpoints outlive it
 * @param tls        {@code kv.cacertfile}, {@code kv.certfile}, {@code kv.keyfile}: TLS to etcd, as the
 *                   etcd client takes it (the endpoints are then {@code https://}); the files are read
 *                   when the daemon connects
 */
public record ClusterSettings(List<String> endpoints, String advertise, int ttlSeconds, Optional<EtcdTls> tls) {
    public static final String STORE = "cluster-store";
    public static final String ADVERTISE = "cluster-advertise";
    public static final String OPTS = "cluster-store-opts";
    public static final int DEFAULT_TTL = 15;

    /** The {@code cluster-store-opts} keys of TLS, as dockerd's (libkv's) were. */
    static final List<String> TLS_KEYS = List.of("kv.cacertfile", "kv.certfile", "kv.keyfile");

    public ClusterSettings {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(tls, "tls");
    }

    public static ClusterSettings none() {
        return new ClusterSettings(List.of(), "", DEFAULT_TTL, Optional.empty());
    }

    public boolean enabled() {
        return !endpoints.isEmpty();
    }

    /** For {@code ConfigKey}: the store as given back, e.g. {@code etcd://h1:2379,h2:2379}. */
    String storeText() {
        return endpoints.isEmpty() ? "" : "etcd://" + String.join(",", endpoints.stream()
                .map(e -> e.replaceFirst("^https?://", "")).toList());
    }

    /** For {@code ConfigKey}: the options that matter, e.g. {@code 15} or {@code 15 tls /ca.pem /c.pem /k.pem}. */
    String optsText() {
        return ttlSeconds + tls.map(t -> " tls " + t.caFile() + " " + t.certFile() + " " + t.keyFile()).orElse("");
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
            endpoints.add(trimmed);
        }
        if (advertise == null || advertise.asText().isBlank()) {
            throw problem.apply(STORE + " needs " + ADVERTISE + ": the interface or address the other hosts reach"
                    + " this one at");
        }
        int ttl = DEFAULT_TTL;
        Map<String, String> tlsFiles = new java.util.TreeMap<>();
        if (opts != null) {
            if (!opts.isObject()) {
                throw problem.apply(OPTS + " must be an object of strings");
            }
            for (Map.Entry<String, JsonNode> e : opts.properties()) {
                switch (e.getKey()) {
                    case "discovery.ttl" -> ttl = seconds(e.getValue().asText(), problem);
                    case "discovery.heartbeat" -> seconds(e.getValue().asText(), problem);
                    case "kv.cacertfile", "kv.certfile", "kv.keyfile" -> {
                        if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                            throw problem.apply(OPTS + " option " + e.getKey() + " must be a file path");
                        }
                        tlsFiles.put(e.getKey(), e.getValue().asText());
                    }
                    default -> throw problem.apply("unsupported " + OPTS + " option \"" + e.getKey()
                            + "\" (Berth supports discovery.ttl, discovery.heartbeat, kv.cacertfile, kv.certfile"
                            + " and kv.keyfile)");
                }
            }
        }
        Optional<EtcdTls> tls = Optional.empty();
        if (!tlsFiles.isEmpty()) {
            if (tlsFiles.size() != TLS_KEYS.size()) {
                throw problem.apply("TLS to etcd needs all of " + String.join(", ", TLS_KEYS) + " in " + OPTS
                        + " (given: " + String.join(", ", tlsFiles.keySet()) + ")");
            }
            tls = Optional.of(new EtcdTls(Path.of(tlsFiles.get("kv.cacertfile")), Path.of(tlsFiles.get("kv.certfile")),
                    Path.of(tlsFiles.get("kv.keyfile"))));
        }
        String scheme = tls.isPresent() ? "https://" : "http://";
        String address = advertise.asText().strip();
        return new ClusterSettings(endpoints.stream().map(e -> scheme + e).toList(), stripPort(address), ttl, tls);
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
