package dev.berth.daemon;

import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.RemoteEndpoint;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.sandbox.SandboxView;
import dev.berth.core.service.state.Attachment;
import dev.berth.core.service.state.ChangeStream;
import dev.berth.daemon.dns.DnsServer;
import dev.berth.daemon.dns.Forwarder;
import dev.berth.daemon.dns.NameTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the DNS server's name table and listeners in step with the sandboxes: the whole table
 * from {@link SandboxService#list()} at start, then one endpoint per {@link Change.EndpointAttached}
 * / {@link Change.EndpointDetached} / {@link Change.EndpointReaddressed} and one sandbox per {@link Change.SandboxRemoved} from the
 * services' change stream, so a change costs the same at 1000 sandboxes as at one. It subscribes
 * with {@code onChange}: called under the services' write lock, after the change, so the next query
 * sees it. Opening a sandbox's listeners costs a namespace switch plus one nft transaction in its
 * namespace.
 */
final class DnsFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsFeed.class.getName());
    private final SandboxService sandboxes;
    private final DnsServer server;
    private final NameTable table = new NameTable();
    /** The other hosts' endpoints on global networks (cluster), by network and sandbox; kept across refreshes. */
    private final Map<String, NameTable.Entry> remote = new HashMap<>();
    private ChangeStream.Subscription subscription;

    private final Forwarder forwarder;

    DnsFeed(SandboxService sandboxes, DnsServer server, Forwarder forwarder) {
        this.sandboxes = sandboxes;
        this.server = server;
        this.forwarder = forwarder;
    }

    /** The forwarder of names the table does not have (upstreams; a reload changes them). */
    Forwarder forwarder() {
        return forwarder;
    }

    /** Builds the first table and follows the changes from now on. */
    void start(ChangeStream changes) {
        subscription = changes.onChange(this::onChange);
        refresh();
    }

    private synchronized void onChange(Change change) {
        try {
            switch (change) {
                case Change.EndpointAttached c -> {
                    table.put(new NameTable.Entry(c.network(), c.sandbox(), c.endpoint()));
                    server.sync(c.sandbox().id(), c.sandbox());
                }
                case Change.EndpointDetached c -> {
                    table.remove(c.network().id(), c.sandbox().id());
                    server.sync(c.sandbox().id(), current(c.sandbox().id()));
                }
                case Change.SandboxRemoved c -> {
                    table.removeSandbox(c.sandbox().id());
                    server.sync(c.sandbox().id(), null);
                }
                case Change.SandboxRenamed c -> {
                    for (Attachment a : view(c.sandbox().id()).attachments()) {
                        table.put(new NameTable.Entry(a.network(), c.sandbox(), a.endpoint()));
                    }
                    server.sync(c.sandbox().id(), c.sandbox());
                }
                case Change.EndpointReaddressed c -> table.put(new NameTable.Entry(c.network(), c.sandbox(), c.endpoint()));
                case Change.NetworkReconciled c -> refresh();
                default -> {
                    // a network only goes when no endpoint is left on it; processes do not change names
                }
            }
        } catch (RuntimeException e) {
            // Never let a failed update stand; a full pass puts the table right.
            LOG.log(Level.WARNING, "DNS table update failed (" + e.getMessage() + "): rebuilding it", e);
            refresh();
        }
    }

    /**
     * An endpoint on another host (an overlay network): its sandbox's name and the endpoint's
     * aliases resolve to its addresses for the sandboxes of this host on the same network.
     */
    synchronized void putRemote(Network network, RemoteEndpoint endpoint) {
        NameTable.Entry entry = entry(network, endpoint);
        remote.put(key(network.id(), endpoint.sandbox()), entry);
        table.put(entry);
    }

    synchronized void removeRemote(Network network, RemoteEndpoint endpoint) {
        if (remote.remove(key(network.id(), endpoint.sandbox())) != null) {
            table.remove(network.id(), endpoint.sandbox());
        }
    }

    private static String key(NetworkId network, SandboxId sandbox) {
        return network.value() + "/" + sandbox.value();
    }

    /** A remote endpoint as the name table takes it: a sandbox of that name, an endpoint with its addresses. */
    private static NameTable.Entry entry(Network network, RemoteEndpoint r) {
        Sandbox sandbox = new Sandbox(r.sandbox(), r.sandboxName(), r.sandboxName(), "", Instant.EPOCH,
                Sandbox.MODE_BRIDGE);
        Endpoint endpoint = new Endpoint(r.id(), network.id(), r.sandbox(), "", "", r.mac(), r.ipv4(), r.ipv6(),
                r.aliases(), Endpoint.Requested.NONE);
        return new NameTable.Entry(network, sandbox, endpoint);
    }

    private SandboxView view(SandboxId id) {
        try {
            return sandboxes.inspect(id.value());
        } catch (NotFoundException e) {
            return null;
        }
    }

    private Sandbox current(SandboxId id) {
        SandboxView view = view(id);
        return view == null ? null : view.sandbox();
    }

    /** Rebuilds the whole table and reconciles every listener: at start, and after a failed update. */
    synchronized void refresh() {
        try {
            List<NameTable.Entry> entries = new ArrayList<>();
            Map<SandboxId, Sandbox> byId = new HashMap<>();
            for (SandboxView view : sandboxes.list()) {
                byId.put(view.sandbox().id(), view.sandbox());
                for (Attachment a : view.attachments()) {
                    entries.add(new NameTable.Entry(a.network(), view.sandbox(), a.endpoint()));
                }
            }
            entries.addAll(remote.values());
            table.replaceAll(entries);
            server.update(table, byId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "DNS table refresh failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
