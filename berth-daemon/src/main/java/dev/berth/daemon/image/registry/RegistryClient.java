package dev.berth.daemon.image.registry;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The daemon's HTTP client for registries ({@code java.net.http}: a connect timeout, redirects
 * followed by {@link RemoteRepository} itself so credentials never follow a blob to another host).
 * A registry with CAs of its own in {@link RegistryTrust}'s {@code certs.d} gets a client that
 * trusts them too, made for that pull. {@link #open} starts the conversation with one repository.
 */
public final class RegistryClient {
    private final Supplier<HttpClient> http;
    private final RegistryTimeouts timeouts;
    private final RegistryTrust trust;

    /** A client over {@code http}, which must not follow redirects itself. */
    public RegistryClient(HttpClient http, RegistryTimeouts timeouts, RegistryTrust trust) {
        this(() -> http, timeouts, trust);
    }

    private RegistryClient(Supplier<HttpClient> http, RegistryTimeouts timeouts, RegistryTrust trust) {
        this.http = http;
        this.timeouts = timeouts;
        this.trust = trust;
    }

    /**
     * The daemon's client. Its {@link HttpClient} is built on the first pull: building one sets up
     * the JVM's TLS (the default SSLContext, its trust store) and a selector thread, which took a
     * third of berthd's start-up CPU and stays resident.
     */
    public static RegistryClient create(RegistryTimeouts timeouts, RegistryTrust trust) {
        return new RegistryClient(new OnFirstUse(), timeouts, trust);
    }

    /** The shared client, built once on first use. */
    private static final class OnFirstUse implements Supplier<HttpClient> {
        private HttpClient client;

        @Override
        public synchronized HttpClient get() {
            if (client == null) {
                client = builder().build();
            }
            return client;
        }
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
            return new RemoteRepository(unverified, http.get(), unverified, timeouts, endpoint, path, familiar);
        }
        HttpClient shared = http.get();
        Optional<SSLContext> own = trust.contextFor(domain);
        HttpClient client = own.map(context -> builder().sslContext(context).build()).orElse(shared);
        return new RemoteRepository(client, shared, own.isPresent() ? client : null, timeouts, endpoint, path, familiar);
    }
}
