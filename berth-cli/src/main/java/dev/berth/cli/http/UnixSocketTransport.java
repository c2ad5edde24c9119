package dev.berth.cli.http;

import dev.berth.api.client.HttpRequest;
import dev.berth.api.client.HttpResponse;
import dev.berth.api.client.ResponseStream;
import dev.berth.api.client.UnixHttpClient;
import java.io.IOException;
import java.util.Locale;

/**
 * The shared {@link UnixHttpClient} (one connection per request, {@code Connection: close}) with
 * the docker client's wording for connection failures. The daemon may keep the connection open;
 * the response is framed by its headers, so that does not matter.
 */
public final class UnixSocketTransport implements Transport {

    /** The fixed Host header the docker client uses for Unix sockets. */
    static final String HOST = UnixHttpClient.HOST;

    private final DaemonAddress address;
    private final UnixHttpClient client;

    /** A transport to {@code address}, announcing itself as {@code userAgent}. */
    public UnixSocketTransport(DaemonAddress address, String userAgent) {
        this.address = address;
        this.client = new UnixHttpClient(address.socket(), userAgent);
    }

    @Override
    public HttpResponse exchange(HttpRequest request) {
        return worded(request, client::exchange);
    }

    @Override
    public ResponseStream open(HttpRequest request) {
        return worded(request, client::open);
    }

    /** One use of the client, an I/O failure in docker's words. */
    private <T> T worded(HttpRequest request, Use<T> use) {
        try {
            return use.apply(request);
        } catch (UnixHttpClient.ConnectFailure e) {
            throw cannotConnect(e);
        } catch (IOException e) {
            throw duringExchange(request, e);
        }
    }

    /** {@link UnixHttpClient#exchange} or {@link UnixHttpClient#open}. */
    @FunctionalInterface
    private interface Use<T> {
        T apply(HttpRequest request) throws IOException;
    }

    private static ConnectionFailure duringExchange(HttpRequest request, IOException e) {
        return new ConnectionFailure("error during connect: " + request.method() + " \"http://" + HOST
                + request.target() + "\": " + e.getMessage(), e);
    }

    private ConnectionFailure cannotConnect(UnixHttpClient.ConnectFailure e) {
        IOException cause = (IOException) e.getCause();
        String reason = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (reason.contains("permission denied")) {
            return new ConnectionFailure("permission denied while trying to connect to the Berth daemon socket at "
                    + address.uri() + ": connect: permission denied", cause);
        }
        return new ConnectionFailure("Cannot connect to the Berth daemon at " + address.uri()
                + ". Is the berth daemon running?", cause);
    }
}
