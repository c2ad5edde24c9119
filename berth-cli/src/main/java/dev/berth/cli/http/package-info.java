/**
 * The docker client's conventions on the Engine API (ping, version negotiation, error texts,
 * connection-failure wording) over the shared Unix-socket client of {@code dev.berth.api.client}.
 *
 * <pre>{@code
 * DaemonAddress address = DaemonAddress.resolve(hostFlag, System.getenv());
 * EngineClient client = new EngineClient(new UnixSocketTransport(address, "Berth-Client/0.1"));
 * JsonNode networks = client.getJson("/networks", Map.of());
 * JsonNode created = client.postJson("/networks/create", Map.of(), body);   // Content-Type: application/json
 * try (ResponseStream events = client.stream("/events", query)) {          // chunks decoded as they arrive
 *     for (String line = events.readLine(); line != null; line = events.readLine()) { ... }
 * }
 * }</pre>
 *
 * <p>Be aware: error bodies are decoded only when {@code Content-Type} is exactly
 * {@code application/json}, as the docker client does; anything else is shown raw. There is no
 * connect or read timeout: the JDK's Unix-domain channels have no socket timeouts. Like Go's
 * client, a body-less POST carries {@code Content-Length: 0} and no Content-Type, a DELETE
 * neither.
 */
package dev.berth.cli.http;
