/**
 * What the services report: {@link dev.berth.core.service.event.Change}, a sealed family of typed
 * change records (network created and removed, endpoint attached and detached, sandbox created and
 * removed, process started and died, reconcile, endpoint re-addressed, daemon reloaded); {@code ChangeEvents}, their {@code /events} form
 * ({@code Event}: type, action, actor, attributes, as moby words them); {@code EventLog}, the
 * buffered stream {@code GET /events} replays and follows; and the filter grammar ({@code Criteria},
 * {@code FilterTime}) that event filters and list filters share.
 *
 * <pre>{@code
 * Optional<Event> e = ChangeEvents.of(new Change.EndpointAttached(network, sandbox, endpoint), timeNano);
 * // network connect <network id> {container, name, type}
 * try (EventLog.Subscription s = log.subscribe(queue::add)) { s.backlog(); ... }
 * }</pre>
 *
 * <p>Be aware: this package knows nothing of the services; the state's change stream feeds the
 * event log. {@code EventLog} listeners run under its lock and must not block. The JSON clients
 * see is decided by {@code ChangeEvents}; change it only together with {@code EventsParityTest}.
 */
package dev.berth.core.service.event;
