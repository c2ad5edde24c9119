package dev.berth.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.daemon.api.ApiListener;
import dev.berth.daemon.api.ApiTls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * {@code hosts} ({@code -H}), {@code tls}, {@code tlsverify}, {@code tlscacert}, {@code tlscert}
 * and {@code tlskey}, with dockerd's rules (moby's {@code loadDaemonCliConfig} and {@code
 * newAPIServerTLSConfig}):
 * <ul>
 * <li>{@code tlsverify} given at all, true or false, turns TLS on; {@code tls} given alone means
 * {@code tlsverify} of the same value: {@code --tls} alone requires client certificates too, and
 * TLS without them is {@code --tlsverify=false};</li>
 * <li>the files default to {@code ca.pem}, {@code cert.pem} and {@code key.pem} in
 * {@code $DOCKER_CERT_PATH}, else {@code $DOCKER_CONFIG}, else {@code ~/.docker}, and are read and
 * checked now (start-up, {@code --validate} and a reload refuse a bad one);</li>
 * <li>hosts as dockerd parses them: {@code tcp://host:port} (host {@code localhost} and port
 * 2375 when left out), {@code host:port} alone, {@code unix:///path} ({@code unix://} alone:
 * the default socket); duplicates count once; none given: the default socket, or with TLS on
 * {@code tcp://localhost:2376}.</li>
 * </ul>
 * Stricter than dockerd, which starts after a warning: a TCP host without TLS client verification
 * is refused unless TLS was turned off or verification waived explicitly ({@code --tls=false},
 * {@code --tlsverify=false}), as moby's deprecation notice for unauthenticated TCP announces.
 */
final class TlsOptions {
    static final String DEFAULT_TLS_HOST = "tcp://localhost:2376";
    private static final String DEFAULT_TCP_HOST = "localhost";
    private static final int DEFAULT_TCP_PORT = 2375;

    private final Map<String, JsonNode> values;
    private final BiFunction<String, String, ConfigException> problem;
    private final BiFunction<String, String, ConfigException> fileProblem;
    private final Optional<ApiTls> tls;
    private final List<ApiListener> listeners;

    /**
     * @param problem     a bad value of an option (with its daemon.json line or flag)
     * @param fileProblem a bad TLS file (with its daemon.json line when the file names it)
     */
    TlsOptions(Map<String, JsonNode> values, Path certDir, BiFunction<String, String, ConfigException> problem,
               BiFunction<String, String, ConfigException> fileProblem) {
        this.values = values;
        this.problem = problem;
        this.fileProblem = fileProblem;
        Optional<Boolean> tlsGiven = bool("tls");
        Optional<Boolean> verifyGiven = bool("tlsverify");
        boolean on = verifyGiven.isPresent() || tlsGiven.orElse(false);
        boolean verify = verifyGiven.orElse(on);
        this.tls = on ? Optional.of(load(certDir, verify)) : Optional.empty();
        this.listeners = hosts(on);
        if (tlsGiven.isEmpty() && verifyGiven.isEmpty()) {
            for (ApiListener listener : listeners) {
                if (listener instanceof ApiListener.Tcp) {
                    throw problem.apply("hosts", "refusing to listen on " + listener + " without TLS: Binding to IP "
                            + "address without --tlsverify is insecure and gives root access on this machine to "
                            + "everyone who has access to your network. Give --tlsverify with --tlscacert, --tlscert "
                            + "and --tlskey, or override this by explicitly specifying '--tls=false' or "
                            + "'--tlsverify=false'");
                }
            }
        }
    }

    /** {@code $DOCKER_CERT_PATH}, else {@code $DOCKER_CONFIG}, else {@code <home>/.docker}: dockerd's. */
    static Path defaultCertDir(Map<String, String> env, String home) {
        for (String variable : List.of("DOCKER_CERT_PATH", "DOCKER_CONFIG")) {
            String dir = env.get(variable);
            if (dir != null && !dir.isEmpty()) {
                return Path.of(dir);
            }
        }
        return Path.of(home, ".docker");
    }

    Optional<ApiTls> tls() {
        return tls;
    }

    List<ApiListener> listeners() {
        return listeners;
    }

    private ApiTls load(Path certDir, boolean verify) {
        Optional<Path> ca = file("tlscacert", certDir.resolve("ca.pem"));
        Path cert = file("tlscert", certDir.resolve("cert.pem")).orElseThrow(
                () -> problem.apply("tlscert", "tlscert must name the server's certificate file"));
        Path key = file("tlskey", certDir.resolve("key.pem")).orElseThrow(
                () -> problem.apply("tlskey", "tlskey must name the server's key file"));
        try {
            ApiTls tls = new ApiTls(verify ? ca : Optional.empty(), cert, key, verify);
            tls.check();
            return tls;
        } catch (InvalidParameterException e) {
            String message = e.getMessage();
            boolean aboutCa = message.contains("CA certificate") || message.contains("append certificates")
                    || message.contains("--tlscacert");
            throw fileProblem.apply(aboutCa ? "tlscacert" : values.containsKey("tlskey") ? "tlskey" : "tlscert",
                    message);
        }
    }

    /** The option's path, the default when not given, empty when given as {@code ""}. */
    private Optional<Path> file(String key, Path fallback) {
        JsonNode v = values.get(key);
        if (v == null) {
            return Optional.of(fallback);
        }
        if (!v.isTextual()) {
            throw problem.apply(key, key + " must be a file path");
        }
        return v.asText().isBlank() ? Optional.empty() : Optional.of(Path.of(v.asText()));
    }

    private Optional<Boolean> bool(String key) {
        JsonNode v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        Boolean value = ConfigBoolean.of(v);
        if (value == null) {
            throw problem.apply(key, key + " must be true or false");
        }
        return Optional.of(value);
    }

    private List<ApiListener> hosts(boolean tlsOn) {
        JsonNode hosts = values.get("hosts");
        List<String> given = new ArrayList<>();
        if (hosts != null) {
            if (!hosts.isArray()) {
                throw problem.apply("hosts", "hosts must be a list of addresses such as \"unix:///run/berth/berth.sock\" "
                        + "or \"tcp://0.0.0.0:2376\"");
            }
            for (JsonNode host : hosts) {
                if (!host.isTextual()) {
                    throw problem.apply("hosts", "hosts must be a list of strings; got " + host);
                }
                if (!host.asText().isBlank()) {
                    given.add(host.asText().strip());
                }
            }
        }
        if (given.isEmpty()) {
            given.add(tlsOn ? DEFAULT_TLS_HOST : DaemonConfig.DEFAULT_HOST);
        }
        Set<ApiListener> out = new LinkedHashSet<>();
        for (String host : given) {
            out.add(parse(host));
        }
        return List.copyOf(out);
    }

    /** One host as moby's {@code ParseHost}: unix or tcp; fd:// and npipe:// are not Berth's. */
    private ApiListener parse(String host) {
        int scheme = host.indexOf("://");
        String proto = scheme < 0 ? "tcp" : host.substring(0, scheme);
        String address = scheme < 0 ? host : host.substring(scheme + 3);
        return switch (proto) {
            case "tcp" -> tcp(host, address);
            case "unix" -> {
                if (address.isEmpty()) {
                    yield new ApiListener.Unix(Path.of(DaemonConfig.DEFAULT_HOST.substring("unix://".length())));
                }
                if (!address.startsWith("/") || address.contains("://")) {
                    throw problem.apply("hosts", "invalid bind address (" + host + "): the socket must be an absolute path");
                }
                yield new ApiListener.Unix(Path.of(address));
            }
            case "fd" -> throw problem.apply("hosts", "unsupported host " + host
                    + ": Berth takes no sockets from systemd (fd://); give unix:///path or tcp://host:port");
            default -> throw problem.apply("hosts", "invalid bind address (" + host + "): unsupported proto '" + proto + "'");
        };
    }

    private ApiListener tcp(String host, String address) {
        if (address.contains("/")) {
            throw problem.apply("hosts", "invalid bind address (" + host + "): should not contain a path element");
        }
        String authority = address;
        String name;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0 || (close + 1 < authority.length() && authority.charAt(close + 1) != ':')) {
                throw problem.apply("hosts", "invalid bind address (" + host + "): bad IPv6 address");
            }
            name = authority.substring(1, close);
            port = close + 1 < authority.length() ? authority.substring(close + 2) : "";
        } else {
            int colon = authority.lastIndexOf(':');
            name = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : authority.substring(colon + 1);
            if (name.contains(":")) {
                throw problem.apply("hosts", "invalid bind address (" + host + "): put an IPv6 address in brackets, "
                        + "e.g. tcp://[::1]:2376");
            }
        }
        int number = DEFAULT_TCP_PORT;
        if (!port.isEmpty() || authority.endsWith(":")) {
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) == 0 || Integer.parseInt(port) > 65535) {
                throw problem.apply("hosts", "invalid bind address (" + host + "): invalid port: " + port);
            }
            number = Integer.parseInt(port);
        }
        return new ApiListener.Tcp(name.isEmpty() ? DEFAULT_TCP_HOST : name, number);
    }
}
