package dev.berth.daemon.image.registry;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The daemon's HTTP client for registries ({@code java.net.http}: a connect timeout, redirects
 * followed by {@link RemoteRepository} itself so credentials never follow a blob to another host).
 * A registry with CAs of its own in {@link RegistryTrust}'s {@code certs.d} gets a client that
 * trusts them too, made for that pull. {@link #open} starts the conversation with one repository.
 */
public final class RegistryClient {
    private final HttpClient http;
    private final Duration timeout;
    private final Duration probeTimeout;
    private final RegistryTrust trust;

    /**
     * A client over {@code http}, which must not follow redirects itself.
     *
     * @param timeout      how long a request may wait for its response headers
     * @param probeTimeout how long the HTTPS try of a loopback registry may take before plain HTTP
     */
    public RegistryClient(HttpClient http, Duration timeout, Duration probeTimeout, RegistryTrust trust) {
        this.http = http;
        this.timeout = timeout;
        this.probeTimeout = probeTimeout;
        this.trust = trust;
    }

    /** The daemon's client: requests bounded by {@code timeout} until their headers arrive, the HTTPS try of a loopback registry by 3 s. */
    public static RegistryClient create(Duration timeout, RegistryTrust trust) {
        return new RegistryClient(builder().build(), timeout, Duration.ofSeconds(3), trust);
    }

    /** {@link #create} with another bound on the HTTPS try of loopback registries (tests' servers never answer it). */
    public static RegistryClient create(Duration timeout, Duration probeTimeout, RegistryTrust trust) {
        return new RegistryClient(builder().build(), timeout, probeTimeout, trust);
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).followRedirects(HttpClient.Redirect.NEVER);
    }

    /**
     * A session with the repository {@code path} ({@code library/busybox}) of the registry of
     * {@code domain}; {@code familiar} is how error messages name it ({@code busybox},
     * {@code 127.0.0.1:5000/busybox}).
     */
    public RemoteRepository open(String domain, String path, String familiar) {
        RegistryEndpoint endpoint = RegistryEndpoint.of(domain);
        if (endpoint.insecure()) {
            HttpClient unverified = builder().sslContext(UnverifiedTls.context()).build();
            return new RemoteRepository(unverified, http, unverified, timeout, probeTimeout, endpoint, path, familiar);
        }
        Optional<SSLContext> own = trust.contextFor(domain);
        HttpClient client = own.map(context -> builder().sslContext(context).build()).orElse(http);
        return new RemoteRepository(client, http, own.isPresent() ? client : null, timeout, probeTimeout, endpoint, path,
                familiar);
    }
}
