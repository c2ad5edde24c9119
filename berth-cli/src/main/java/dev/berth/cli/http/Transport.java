package dev.berth.cli.http;

/** Sends one HTTP request to the daemon and returns the complete response. */
public interface Transport {

    /**
     * Performs the exchange.
     *
     * @throws ConnectionFailure when the daemon cannot be reached or the connection breaks
     */
    HttpResponse exchange(HttpRequest request);
}
