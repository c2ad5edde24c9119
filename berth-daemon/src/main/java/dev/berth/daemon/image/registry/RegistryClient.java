package dev.berth.daemon.image.registry;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The daemon's one HTTP client for registries ({@code java.net.http}, HTTP/1.1 and HTTP/2, a
 * connect timeout, redirects followed by {@link RemoteRepository} itself so credentials never
 * follow a blob to another host). {@link #open} starts the conversation with one repository.
 */
public final class RegistryClient {
    private final HttpClient http;
    private final Duration timeout;

    /** A client over {@code http}, which must not follow redirects itself. */
    public RegistryClient(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** The daemon's client: connect timeout 30 s, requests bounded by {@code timeout} until headers arrive. */
    public static RegistryClient create(Duration timeout) {
        return new RegistryClient(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build(), timeout);
    }

    /**
     * A session with the repository {@code path} ({@code library/busybox}) of the registry of
     * {@code domain}; {@code familiar} is how error messages name it ({@code busybox},
     * {@code 127.0.0.1:5000/busybox}).
     */
    public RemoteRepository open(String domain, String path, String familiar) {
        return new RemoteRepository(http, timeout, RegistryEndpoint.of(domain), path, familiar);
    }
}
