package dev.berth.daemon.image.registry;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where the registry of a reference's domain answers, as dockerd decides it: {@code docker.io} is
 * {@code https://registry-1.docker.io}; every other registry is HTTPS with its certificate verified,
 * except a loopback registry ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}, any port), which
 * dockerd treats as an insecure registry: HTTPS without verification first and, when that fails,
 * plain HTTP ({@code lookupV2Endpoints}).
 *
 * @param domain   the reference's domain, e.g. {@code docker.io}, {@code 127.0.0.1:5000}
 * @param base     the URL the {@code /v2/} paths are resolved against, without a trailing slash
 * @param insecure whether {@code base}'s certificate goes unverified (loopback registries)
 * @param fallback the plain-HTTP URL tried when {@code base} cannot be reached over TLS, or null
 */
public record RegistryEndpoint(String domain, URI base, boolean insecure, URI fallback) {
    /** The domain of references without one. */
    public static final String DOCKER_HUB = "docker.io";

    /** The endpoint of {@code domain}. */
    public static RegistryEndpoint of(String domain) {
        if (domain.equals(DOCKER_HUB) || domain.equals("index.docker.io")) {
            return new RegistryEndpoint(domain, URI.create("https://registry-1.docker.io"), false, null);
        }
        if (isLoopback(domain)) {
            return new RegistryEndpoint(domain, URI.create("https://" + domain), true, URI.create("http://" + domain));
        }
        return new RegistryEndpoint(domain, URI.create("https://" + domain), false, null);
    }

    /** True for {@code localhost}, {@code 127.x.y.z} and {@code [::1]}, with or without a port. */
    public static boolean isLoopback(String domain) {
        String host = hostOf(domain).toLowerCase(Locale.ROOT);
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return false; // a name: never resolved here, only localhost counts
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String hostOf(String domain) {
        if (domain.startsWith("[")) {
            int end = domain.indexOf(']');
            return end > 0 ? domain.substring(1, end) : domain;
        }
        int colon = domain.lastIndexOf(':');
        return colon >= 0 ? domain.substring(0, colon) : domain;
    }

    /** The plain-HTTP endpoint this one falls back to. */
    public RegistryEndpoint plain() {
        if (fallback == null) {
            throw new IllegalStateException(domain + " has no plain-HTTP fallback");
        }
        return new RegistryEndpoint(domain, fallback, false, null);
    }

    /** {@code <base>/v2/<path>} for a path given without the leading slash. */
    public URI v2(String path) {
        return URI.create(base + "/v2/" + path);
    }
}
