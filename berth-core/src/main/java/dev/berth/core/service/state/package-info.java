/**
 * The state the network and sandbox services share, as one explicit object: {@link
 * dev.berth.core.service.state.ServiceState} holds the network snapshot, the sandboxes and
 * endpoints ({@code Attachments}), the taken addresses ({@code AddressBook}), the drivers by name,
 * the ports ({@code ServiceDependencies}), the {@code ChangeStream}, and the one write lock. The
 * daemon makes it once and hands it to both services; neither reaches into the other for it.
 *
 * <pre>{@code
 * ServiceState state = new ServiceState(dependencies);
 * Network n = state.write(() -> { ...; state.networks(next); state.publish(new Change.NetworkCreated(n)); return n; });
 * state.network(id);                          // a read: never waits
 * }</pre>
 *
 * <p>Be aware: the mutators of {@code Attachments}, {@code AddressBook} and the snapshot are public
 * only because the services live in sibling packages; they are for {@code service.*}, called inside
 * {@code ServiceState.write} ({@code requireWriting()} checks it where a step must never run
 * unlocked). {@code AddressBook} is not thread-safe on its own. {@code GatewayChoice} and
 * {@code PublishedPorts} are pure functions of the attachments, here because both the firewall
 * rebuild (networks) and the port publishing (sandboxes) need them.
 */
package dev.berth.core.service.state;
