/**
 * The one client of the Engine API's socket protocol, shared by the CLI, the benchmarks and the
 * end-to-end tests: HTTP/1.1 over a Unix-domain socket with the JDK's {@code SocketChannel} (the
 * JDK's HttpClient cannot connect to a Unix socket), a framing reader for Content-Length, chunked
 * and read-to-end bodies, and streaming responses.
 *
 * <pre>{@code
 * UnixHttpClient client = new UnixHttpClient(Path.of("/run/berth/berth.sock"), "Berth-Client/0.1");
 * HttpResponse networks = client.exchange(HttpRequest.of("GET", "/v1.50/networks"));
 * HttpResponse created = client.exchange(HttpRequest.json("POST", "/v1.50/networks/create", json));
 * try (ResponseStream events = client.open(HttpRequest.of("GET", "/v1.50/events"))) {
 *     for (String line = events.readLine(); line != null; line = events.readLine()) { ... }
 * }
 * }</pre>
 *
 * <p>Be aware: {@link dev.berth.api.client.UnixHttpClient.Mode#FRESH} sends
 * {@code Connection: close} as the docker CLI does; a body-less POST carries
 * {@code Content-Length: 0} and no Content-Type, a DELETE neither. Header names of a
 * {@link dev.berth.api.client.HttpResponse} are lower-case. Docker's client conventions (ping,
 * version negotiation, error texts) are the CLI's ({@code dev.berth.cli.http.EngineClient}).
 */
package dev.berth.api.client;
