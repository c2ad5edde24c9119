package dev.berth.core.service.state;

import dev.berth.core.errors.InternalException;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.event.ChangeEvents;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.event.FilterTime;
import dev.berth.core.spi.Firewall;
import dev.berth.core.spi.NetworkDriver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The state the network and sandbox services share, in one object handed to both: the network
 * snapshot, the sandboxes and endpoints ({@link Attachments}), the taken addresses
 * ({@link AddressBook}), the drivers by name, the ports ({@link ServiceDependencies}) and the
 * {@link ChangeStream}, with the one write lock that guards every change of them.
 *
 * <p>Reads never wait: the snapshot is an immutable map swapped on change and {@code Attachments}
 * is built of concurrent maps. Changes run inside {@link #write(Supplier)} or {@link #update(Runnable)}.
 *
 * <p>Lock order, outermost first; a thread may take a later one while holding an earlier one,
 * never the other way round:
 * <ol>
 *   <li>the daemon's reload monitor (one reload at a time; a reload calls the sandbox service);</li>
 *   <li>{@code SandboxProcesses}' monitor (it calls the sandbox service);</li>
 *   <li>the write lock, taken only by {@code write}/{@code update};</li>
 *   <li>the monitors of {@code Attachments} and {@link EventLog}, held briefly inside.</li>
 * </ol>
 * The order is kept in code: the write lock is private, and {@link ChangeStream#afterChange}
 * subscribers (which may take lock 1) are called only once the outermost {@code write} has released it.
 */
public final class ServiceState {
    private final ServiceDependencies dependencies;
    private final Map<String, NetworkDriver> drivers;
    private final Object lock = new Object();
    private final Attachments attachments = new Attachments();
    private final AddressBook addresses = new AddressBook();
    private final ChangeStream changes = new ChangeStream();
    /** Changes made under the write lock, for the {@code afterChange} subscribers; guarded by it. */
    private final List<Change> pending = new ArrayList<>();
    private volatile Map<NetworkId, Network> networks = Map.of();
    /**
     * Odd while a change holds the write lock, even otherwise; it grows by two with every change
     * ({@link #sequence}). Written only under the lock.
     */
    private volatile long sequence;

    /** The event log of {@code dependencies} follows the change stream from here on. */
    public ServiceState(ServiceDependencies dependencies) {
        this.dependencies = dependencies;
        Map<String, NetworkDriver> byName = new LinkedHashMap<>();
        dependencies.drivers().forEach(d -> byName.put(d.name(), d));
        this.drivers = Collections.unmodifiableMap(byName);
        EventLog events = dependencies.events();
        Clock clock = dependencies.clock();
        changes.onChange(c -> ChangeEvents.of(c, FilterTime.toNanos(clock.instant())).ifPresent(events::publish));
    }

    /**
     * Runs a change under the write lock and returns its result; then, once the lock is released,
     * hands the changes it published to the {@code afterChange} subscribers (also when the change
     * failed part-way). A nested call runs inside the outer one, which delivers.
     */
    public <T> T write(Supplier<T> change) {
        if (Thread.holdsLock(lock)) {
            return change.get();
        }
        List<Change> made = List.of();
        try {
            synchronized (lock) {
                sequence++;
                try {
                    return change.get();
                } finally {
                    made = List.copyOf(pending);
                    pending.clear();
                    sequence++;
                }
            }
        } finally {
            // Also after a failure: what was published before it stands, and its subscribers saw it inline.
            made.forEach(changes::deliverDeferred);
        }
    }

    /** {@link #write(Supplier)} for a change without a result. */
    public void update(Runnable change) {
        write(() -> {
            change.run();
            return null;
        });
    }

    /**
     * A seqlock's counter, read without waiting: odd while a change is under way, and different
     * from an earlier reading once any change began since. A slow check can read without the lock
     * and then, under it, tell whether what it read may have moved ({@code Reconciler}).
     */
    public long sequence() {
        return sequence;
    }

    /** Fails unless the caller runs inside {@link #write}: for steps that must never run unlocked. */
    public void requireWriting() {
        if (!Thread.holdsLock(lock)) {
            throw new IllegalStateException("a change outside the write lock");
        }
    }

    /**
     * Reports a change: to the {@code onChange} subscribers now, to the {@code afterChange} ones once
     * the write lock is released (at once when the change is made outside it, such as a process exit).
     */
    public void publish(Change change) {
        changes.deliverInline(change);
        if (Thread.holdsLock(lock)) {
            pending.add(change);
        } else {
            changes.deliverDeferred(change);
        }
    }

    /** Where subscribers register. */
    public ChangeStream changes() {
        return changes;
    }

    /** The current networks, by id: an immutable snapshot. */
    public Map<NetworkId, Network> networks() {
        return networks;
    }

    /** Replaces the snapshot (inside {@link #write}). */
    public void networks(Map<NetworkId, Network> next) {
        requireWriting();
        networks = Map.copyOf(next);
    }

    /** The current network with this id, if it still exists. */
    public Optional<Network> network(NetworkId id) {
        return Optional.ofNullable(networks.get(id));
    }

    public Attachments attachments() {
        return attachments;
    }

    public AddressBook addresses() {
        return addresses;
    }

    public NetworkDriver driver(String name) {
        NetworkDriver driver = drivers.get(name);
        if (driver == null) {
            throw new InternalException("no driver " + name + " is registered");
        }
        return driver;
    }

    public Set<String> driverNames() {
        return drivers.keySet();
    }

    /** What every sandbox publishes now: the firewall's {@code rebuild} input. */
    public List<Firewall.SandboxPorts> publishedPorts() {
        return PublishedPorts.all(attachments, this::network);
    }

    /** The ports and the sources of time and randomness; {@code events()} is the buffered {@code /events} log. */
    public ServiceDependencies dependencies() {
        return dependencies;
    }
}
