package dev.berth.daemon.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.errors.BerthException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.daemon.image.registry.Manifests.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * One pull's conversation with one repository of a registry, as dockerd holds it: {@code GET /v2/}
 * first (is it a registry, does it want a token), then manifests and blobs with the anonymous
 * bearer token when the registry asks for one ({@code WWW-Authenticate: Bearer realm=..,service=..};
 * the token is fetched from the realm with {@code scope=repository:<path>:pull} and fetched again when
 * a later request is refused with a new challenge). Errors carry moby's words: a missing tag is
 * {@code manifest for 127.0.0.1:5000/x:latest not found: manifest unknown: manifest unknown}.
 */
public final class RemoteRepository implements AutoCloseable {
    /** moby's limit for a manifest body. */
    static final int MANIFEST_LIMIT = 4 << 20;
    /** A config larger than this is refused (moby reads configs whole too). */
    static final int CONFIG_LIMIT = 8 << 20;
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile HttpClient http;
    private final HttpClient plainHttp;
    private final Duration timeout;
    private final Duration probeTimeout;
    private final Duration stallTimeout;
    private volatile RegistryEndpoint endpoint;
    private final String path;
    private final String familiar;
    private final HttpClient owned;
    private volatile String token;
    private volatile boolean pinged;

    /**
     * @param http      the client for {@code endpoint} (one that skips certificate checks for an insecure one)
     * @param plainHttp the client for the plain-HTTP fallback
     * @param owned     a client made for this session alone (shut down by {@link #close}), or null
     */
    RemoteRepository(HttpClient http, HttpClient plainHttp, HttpClient owned, RegistryTimeouts timeouts,
                     RegistryEndpoint endpoint, String path, String familiar) {
        this.probeTimeout = timeouts.tlsProbe();
        this.stallTimeout = timeouts.stall();
        this.timeout = timeouts.headers();
        this.http = http;
        this.plainHttp = plainHttp;
        this.owned = owned;
        this.endpoint = endpoint;
        this.path = path;
        this.familiar = familiar;
    }

    /**
     * What a reference resolved to.
     *
     * @param digest         the digest of what the reference names (an index's when it is one): what
     *                       {@code docker pull} prints and RepoDigests records
     * @param manifestDigest the digest of the image manifest chosen (equal to {@code digest} without an index)
     * @param image          that image manifest
     * @param platform       the index entry's platform, or null without an index
     */
    public record Resolved(String digest, String manifestDigest, Manifests.Image image, Platform platform) {
    }

    /** Ends the session: a client made for it (a registry with its own CAs, a loopback one) is shut down. */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdownNow();
        }
    }

    /** The registry's endpoint. */
    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Resolves a tag or a {@code sha256:} digest to an image manifest for {@code platform}: an index
     * is narrowed to the platform's entry, which is fetched by digest. Every manifest fetched by
     * digest must hash to it.
     */
    public Resolved resolve(String reference, Platform platform) {
        ping();
        Fetched top = manifest(reference);
        Manifests.Manifest parsed = Manifests.parse(top.body(), top.contentType());
        if (parsed instanceof Manifests.Image image) {
            return new Resolved(top.digest(), top.digest(), image, null);
        }
        Descriptor entry = Manifests.require((Manifests.Index) parsed, platform);
        Fetched chosen = manifest(entry.digest());
        if (chosen.body().length != entry.size()) {
            throw new InternalException("manifest " + entry.digest() + " is " + chosen.body().length
                    + " bytes, its index entry says " + entry.size());
        }
        Manifests.Manifest inner = Manifests.parse(chosen.body(), chosen.contentType());
        if (!(inner instanceof Manifests.Image image)) {
            throw new InvalidParameterException("unsupported media type " + inner.mediaType()
                    + " in the manifest list entry for " + platform);
        }
        return new Resolved(top.digest(), entry.digest(), image, entry.platform());
    }

    /** The image config blob, read whole and checked against its descriptor. */
    public byte[] config(Descriptor config) {
        if (config.size() > CONFIG_LIMIT) {
            throw new InvalidParameterException("image config " + config.digest() + " is " + config.size()
                    + " bytes, more than the " + CONFIG_LIMIT + " accepted");
        }
        try (InputStream in = blob(config, "image config verification failed for digest")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw failure("GET", blobUri(config.digest()), e);
        }
    }

    /**
     * Opens a layer blob. The stream checks size and digest as it is read and fails at the end
     * (or at an excess byte) with {@code filesystem layer verification failed for digest ...};
     * read it to the end before keeping anything, and close it.
     */
    public VerifyingInputStream layer(Descriptor layer) {
        return blob(layer, "filesystem layer verification failed for digest");
    }

    private VerifyingInputStream blob(Descriptor descriptor, String failure) {
        if (!DIGEST.matcher(descriptor.digest()).matches()) {
            throw new InvalidParameterException("invalid digest " + descriptor.digest());
        }
        HttpResponse<InputStream> reply = getFollowing(blobUri(descriptor.digest()), List.of());
        long length = reply.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length >= 0 && length != descriptor.size()) {
            close(reply.body());
            throw new InternalException(failure + " " + descriptor.digest() + ": the registry sends " + length
                    + " bytes, the manifest says " + descriptor.size());
        }
        return new VerifyingInputStream(StallGuard.watch(reply.body(), stallTimeout, "GET " + descriptor.digest()),
                descriptor.digest(), descriptor.size(), failure);
    }

    private URI blobUri(String digest) {
        return endpoint.v2(path + "/blobs/" + digest);
    }

    private record Fetched(byte[] body, String contentType, String digest) {
    }

    private Fetched manifest(String reference) {
        URI uri = endpoint.v2(path + "/manifests/" + reference);
        HttpResponse<InputStream> reply = send(uri, Manifests.ACCEPT);
        if (reply.statusCode() != 200) {
            throw registryError(reply, uri, reference);
        }
        byte[] body;
        try (InputStream in = reply.body()) {
            body = in.readNBytes(MANIFEST_LIMIT + 1);
        } catch (IOException e) {
            throw failure("GET", uri, e);
        }
        if (body.length > MANIFEST_LIMIT) {
            throw new InvalidParameterException("manifest " + reference + " is larger than " + MANIFEST_LIMIT + " bytes");
        }
        String digest = VerifyingInputStream.sha256(body);
        boolean byDigest = DIGEST.matcher(reference).matches();
        Optional<String> announced = reply.headers().firstValue("Docker-Content-Digest");
        if (byDigest && !digest.equals(reference)) {
            throw new InternalException("manifest verification failed for digest " + reference);
        }
        if (announced.isPresent() && DIGEST.matcher(announced.get()).matches() && !announced.get().equals(digest)) {
            throw new InternalException("manifest verification failed for digest " + announced.get());
        }
        return new Fetched(body, reply.headers().firstValue("Content-Type").orElse(""), digest);
    }

    /**
     * {@code GET /v2/}: fails early when there is no registry there, learns whether it wants a token,
     * and for a loopback registry settles HTTPS or, when TLS fails, plain HTTP (as dockerd).
     */
    private void ping() {
        if (pinged) {
            return;
        }
        URI uri = URI.create(endpoint.base() + "/v2/");
        HttpResponse<InputStream> reply;
        try {
            // a plain-HTTP server may never answer a TLS hello (Go's answers at once): bound the try
            reply = exchange(uri, List.of(), null, endpoint.fallback() == null ? timeout : probeTimeout);
        } catch (InternalException e) {
            if (endpoint.fallback() == null) {
                throw e;
            }
            endpoint = endpoint.plain();
            http = plainHttp;
            uri = URI.create(endpoint.base() + "/v2/");
            reply = exchange(uri, List.of(), null);
        }
        close(reply.body());
        if (reply.statusCode() == 401) {
            Optional<AuthChallenge> bearer = AuthChallenge.bearer(reply.headers().allValues("WWW-Authenticate"));
            if (bearer.isPresent()) {
                token = fetchToken(bearer.get());
            }
        } else if (reply.statusCode() != 200) {
            throw new InternalException("error pinging registry " + endpoint.domain() + ": received unexpected HTTP status: "
                    + reply.statusCode());
        }
        pinged = true;
    }

    private HttpResponse<InputStream> send(URI uri, List<String> accept) {
        HttpResponse<InputStream> reply = exchange(uri, accept, token);
        if (reply.statusCode() == 401) {
            Optional<AuthChallenge> bearer = AuthChallenge.bearer(reply.headers().allValues("WWW-Authenticate"));
            if (bearer.isPresent() && !"invalid_token".equals(bearer.get().parameters().get("error"))
                    && !"insufficient_scope".equals(bearer.get().parameters().get("error"))) {
                close(reply.body());
                token = fetchToken(bearer.get());
                reply = exchange(uri, accept, token);
            }
        }
        return reply;
    }

    /** GET that follows redirects (blobs are often served from elsewhere); credentials only to the registry's own host. */
    private HttpResponse<InputStream> getFollowing(URI uri, List<String> accept) {
        HttpResponse<InputStream> reply = send(uri, accept);
        URI current = uri;
        for (int hops = 0; isRedirect(reply.statusCode()); hops++) {
            close(reply.body());
            if (hops == MAX_REDIRECTS) {
                throw new InternalException("GET " + uri + ": stopped after " + MAX_REDIRECTS + " redirects");
            }
            String location = reply.headers().firstValue("Location")
                    .orElseThrow(() -> new InternalException("GET " + uri + ": redirect without a Location"));
            current = current.resolve(location);
            boolean sameHost = current.getRawAuthority() != null
                    && current.getRawAuthority().equalsIgnoreCase(endpoint.base().getRawAuthority());
            reply = exchange(current, accept, sameHost ? token : null);
        }
        if (reply.statusCode() != 200) {
            throw registryError(reply, current, null);
        }
        return reply;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private HttpResponse<InputStream> exchange(URI uri, List<String> accept, String bearer) {
        return exchange(uri, accept, bearer, timeout);
    }

    private HttpResponse<InputStream> exchange(URI uri, List<String> accept, String bearer, Duration limit) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(limit).GET()
                .header("User-Agent", "berth");
        for (String type : accept) {
            request.header("Accept", type);
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failure("GET", uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("GET " + uri + ": interrupted");
        }
    }

    /** The anonymous token flow: {@code GET <realm>?service=<service>&scope=repository:<path>:pull}. */
    private String fetchToken(AuthChallenge challenge) {
        String realm = challenge.parameters().get("realm");
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new InternalException("the registry's token realm \"" + realm + "\" is not a URL");
        }
        if (realmUri.getScheme() == null || !(realmUri.getScheme().equals("https") || realmUri.getScheme().equals("http"))) {
            throw new InternalException("the registry's token realm \"" + realm + "\" is not an http(s) URL");
        }
        StringBuilder query = new StringBuilder();
        String service = challenge.parameters().get("service");
        if (service != null) {
            query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
        }
        String scope = challenge.parameters().getOrDefault("scope", "repository:" + path + ":pull");
        query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        HttpResponse<InputStream> reply = exchange(uri, List.of("application/json"), null);
        byte[] body;
        try (InputStream in = reply.body()) {
            body = in.readNBytes(1 << 20);
        } catch (IOException e) {
            throw failure("GET", uri, e);
        }
        if (reply.statusCode() != 200) {
            throw new ForbiddenException("Get \"" + uri + "\": unauthorized: token server answered " + reply.statusCode()
                    + ": " + new String(body, StandardCharsets.UTF_8).strip());
        }
        try {
            JsonNode json = JSON.readTree(body);
            String value = json.path("token").asText("");
            if (value.isEmpty()) {
                value = json.path("access_token").asText("");
            }
            if (value.isEmpty()) {
                throw new ForbiddenException("Get \"" + uri + "\": the token server sent no token");
            }
            return value;
        } catch (IOException e) {
            throw new ForbiddenException("Get \"" + uri + "\": the token server's reply is not JSON");
        }
    }

    /** A registry's error reply in moby's words ({@code errcode}: {@code <code in words>: <message>}). */
    private BerthException registryError(HttpResponse<InputStream> reply, URI uri, String reference) {
        byte[] body;
        try (InputStream in = reply.body()) {
            body = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        int status = reply.statusCode();
        String code = "";
        String message = "";
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                code = errors.get(0).path("code").asText("");
                message = errors.get(0).path("message").asText("");
            }
        } catch (IOException | RuntimeException e) {
            // not the registry's JSON: the status speaks
        }
        if (code.isEmpty() && status == 401) {
            code = "UNAUTHORIZED";
            message = "authentication required";
        }
        if (code.isEmpty()) {
            if (status >= 500 || status < 400) {
                return new InternalException("received unexpected HTTP status: " + status + " " + reasonPhrase(status));
            }
            return new InternalException("error parsing HTTP " + status + " response body: "
                    + new String(body, StandardCharsets.UTF_8).strip());
        }
        String cause = code.toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + message;
        String named = reference == null ? familiar : familiar + (DIGEST.matcher(reference).matches() ? "@" : ":") + reference;
        return switch (code) {
            case "MANIFEST_UNKNOWN" -> new NotFoundException("manifest for " + named + " not found: " + cause);
            case "NAME_UNKNOWN" -> new NotFoundException("repository " + familiar + " not found: " + cause);
            case "DENIED" -> new NotFoundException("pull access denied for " + familiar
                    + ", repository does not exist or may require 'docker login': " + cause);
            case "UNAUTHORIZED" -> new ForbiddenException(cause);
            case "BLOB_UNKNOWN" -> new NotFoundException(cause);
            default -> new InternalException(cause);
        };
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }

    /** A transport failure in the words of Go's net/http, which the docker CLI users know. */
    static InternalException failure(String method, URI uri, IOException e) {
        String prefix = capitalized(method) + " \"" + uri + "\": ";
        String hostPort = uri.getHost() + ":" + (uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80);
        String detail;
        if (e instanceof VerifyingInputStream.VerificationException) {
            return new InternalException(e.getMessage(), e);
        } else if (e instanceof HttpConnectTimeoutException) {
            detail = "dial tcp " + hostPort + ": i/o timeout";
        } else if (e instanceof ConnectException) {
            detail = e.getCause() instanceof UnknownHostException
                    ? "dial tcp: lookup " + uri.getHost() + ": no such host"
                    : "dial tcp " + hostPort + ": connect: connection refused";
        } else if (e instanceof UnknownHostException) {
            detail = "dial tcp: lookup " + uri.getHost() + ": no such host";
        } else if (e instanceof HttpTimeoutException) {
            detail = "net/http: request canceled (Client.Timeout exceeded while awaiting headers)";
        } else if (e instanceof SSLException) {
            detail = "tls: " + e.getMessage();
        } else {
            detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new InternalException(prefix + detail, e);
    }

    private static String capitalized(String method) {
        return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to read
        }
    }
}
