package dev.berth.cli.http;

import dev.berth.api.client.HttpRequest;
import dev.berth.api.client.HttpResponse;
import dev.berth.api.client.ResponseStream;

/** Sends one HTTP request to the daemon and returns the complete response, or a streaming one. */
public interface Transport {

    /**
     * Performs the exchange.
     *
     * @throws ConnectionFailure when the daemon cannot be reached or the connection breaks
     */
    HttpResponse exchange(HttpRequest request);

    /**
     * Sends the request and returns as soon as the response head has arrived; the body is read
     * from the returned stream, which the caller must close.
     *
     * @throws ConnectionFailure when the daemon cannot be reached
     */
    ResponseStream open(HttpRequest request);
}
