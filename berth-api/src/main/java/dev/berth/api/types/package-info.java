/**
 * Immutable records mirroring the Engine API's JSON, field for field and in moby's order.
 *
 * <pre>{@code
 * NetworkResource n = mapper.readValue(body, NetworkResource.class);
 * }</pre>
 *
 * <p>These records carry no domain logic and never see the daemon's model; the daemon maps
 * between the two. Field order is user-visible: {@code docker network inspect} prints our JSON as
 * sent.
 */
package dev.berth.api.types;
