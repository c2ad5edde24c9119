package dev.berth.cli.http;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon listens: {@code unix:///path} only.
 *
 * @param uri    the address as the user wrote it (used in messages)
 * @param socket the socket file
 */
public record DaemonAddress(String uri, Path socket) {

    /** The address when neither {@code -H} nor {@code BERTH_HOST} is given. */
    public static final String DEFAULT = "unix:///run/berth/berth.sock";

    /** The environment variable consulted when {@code -H} is absent; {@code DOCKER_HOST} is not. */
    public static final String ENV = "BERTH_HOST";

    /**
     * Resolves {@code -H/--host} (may be null), else {@code BERTH_HOST}, else the default.
     *
     * @throws IllegalArgumentException for anything but a {@code unix://} address
     */
    public static DaemonAddress resolve(String hostFlag, Map<String, String> env) {
        String uri = hostFlag;
        if (uri == null || uri.isBlank()) {
            uri = env.get(ENV);
        }
        if (uri == null || uri.isBlank()) {
            uri = DEFAULT;
        }
        return parse(uri.strip());
    }

    /** Parses a {@code unix:///path} address. */
    public static DaemonAddress parse(String uri) {
        if (!uri.startsWith("unix://")) {
            throw new IllegalArgumentException("unsupported daemon address " + uri + ": only unix:// sockets are supported");
        }
        String path = uri.substring("unix://".length());
        if (path.isEmpty()) {
            return parse(DEFAULT);
        }
        return new DaemonAddress(uri, Path.of(path));
    }
}
