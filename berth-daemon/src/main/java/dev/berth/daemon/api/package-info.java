/**
 * The Docker Engine API over a Unix socket: routing ({@code /v{X.Y}/...} and unversioned), version
 * checks, moby's response headers and error shape, and the endpoints that map the Engine API's
 * JSON ({@code dev.berth.api.types}) to the use cases ({@code dev.berth.core.service}).
 *
 * <pre>{@code
 * int backlog = AcceptQueue.size(somaxconn);  // the root reads net.core.somaxconn; "" gives 4096
 * ApiServer api = new ApiServer(new ApiContext(networkService, sandboxService, systemInfo), backlog);
 * api.start(Path.of("/run/berth.sock"), SocketGroup.resolve("docker"));   // stale socket removed, 0660
 * ...
 * api.close();                              // stops Jetty, deletes the socket
 * }</pre>
 *
 * <p>Adding a route: write an {@link dev.berth.daemon.api.Endpoint} returning a
 * {@link dev.berth.daemon.api.Reply} and register it in the endpoint class's {@code register};
 * throw {@code dev.berth.core.errors} exceptions for errors, the dispatcher maps them to statuses
 * and logs 5xx once with the stack trace. Read JSON bodies with
 * {@link dev.berth.daemon.api.ApiRequest#body}.
 *
 * <p>Be aware: the docker CLI compares error {@code Content-Type} with {@code application/json} for
 * exact equality, so content types are set as plain header fields (never via a charset-adding API).
 * {@code docker network inspect} prints our JSON verbatim, so record field order is user-visible.
 * Requests run on virtual threads: nothing here may switch network namespaces. The socket exists
 * with the process umask's mode (0755 under the daemon's 022: nobody else may connect) between
 * bind and the chgrp and chmod to 0660. Request bodies stream into the JSON parser through
 * {@link dev.berth.daemon.api.BodyLimit} (413 past 4 MiB); a JSON {@code null} inside a map or
 * list reads as Go's zero value ({@link dev.berth.daemon.api.GoValues}). Streaming replies
 * ({@link dev.berth.daemon.api.Reply.Stream}, {@code /events}) hold their request thread for as
 * long as the client listens; they notice a departed client on the next write (or within a poll
 * interval when Jetty reports the connection failed) and then close their event subscription.
 * {@code POST /containers/{id}/wait} sends its headers at once, then blocks its (virtual) request
 * thread until the condition holds. {@code attach} and {@code exec start} hijack the connection
 * ({@link dev.berth.daemon.api.Hijack}, {@link dev.berth.daemon.api.Reply.Upgrade}): the session
 * runs on a virtual thread of its own once Jetty has handed over the endpoint.
 * {@code GET /containers/{id}/logs} sends Docker's frames for a container from an image, and the
 * raw output file for a {@code berth run} sandbox (the berth CLI reads it so).
 */
package dev.berth.daemon.api;
