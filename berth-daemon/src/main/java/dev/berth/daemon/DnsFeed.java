package dev.berth.daemon;

import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.Attachment;
import dev.berth.core.service.Event;
import dev.berth.core.service.Reconciler;
import dev.berth.core.service.EventLog;
import dev.berth.core.service.SandboxService;
import dev.berth.core.service.SandboxView;
import dev.berth.daemon.dns.DnsServer;
import dev.berth.daemon.dns.NameTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the DNS server's name table and listeners in step with the sandboxes: the whole table
 * from {@link SandboxService#list()} at start, then one endpoint per {@code network connect} /
 * {@code disconnect} event and one sandbox per {@code container destroy}, so a change costs the
 * same at 1000 sandboxes as at one. The events are published under the service's write lock,
 * after the change, so the next query sees it. Opening a sandbox's listeners costs a namespace
 * switch plus one nft transaction in its namespace.
 */
final class DnsFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsFeed.class.getName());
    private final SandboxService sandboxes;
    private final DnsServer server;
    private final NameTable table = new NameTable();
    private EventLog.Subscription subscription;

    DnsFeed(SandboxService sandboxes, DnsServer server) {
        this.sandboxes = sandboxes;
        this.server = server;
    }

    /** Builds the first table and follows the events from now on. */
    void start(EventLog events) {
        subscription = events.subscribe(this::onEvent);
        refresh();
    }

    private synchronized void onEvent(Event event) {
        try {
            if (event.type().equals(Event.TYPE_NETWORK) && event.action().equals(Reconciler.ACTION)) {
                refresh();
            } else if (event.type().equals(Event.TYPE_NETWORK)) {
                String container = event.attributes().get("container");
                if (container == null) {
                    return;
                }
                SandboxId sandbox = new SandboxId(container);
                NetworkId network = new NetworkId(event.actorId());
                switch (event.action()) {
                    case "connect" -> connected(network, sandbox);
                    case "disconnect" -> {
                        table.remove(network, sandbox);
                        server.sync(sandbox, current(sandbox));
                    }
                    default -> {
                        // create, destroy, prune: a network only goes when no endpoint is left on it
                    }
                }
            } else if (event.type().equals(Event.TYPE_CONTAINER) && event.action().equals("destroy")) {
                SandboxId sandbox = new SandboxId(event.actorId());
                table.removeSandbox(sandbox);
                server.sync(sandbox, null);
            }
        } catch (RuntimeException e) {
            // Never let the event log drop us; a full pass puts the table right.
            LOG.log(Level.WARNING, "DNS table update failed (" + e.getMessage() + "): rebuilding it", e);
            refresh();
        }
    }

    private void connected(NetworkId network, SandboxId id) {
        SandboxView view = view(id);
        if (view == null) {
            return;
        }
        for (Attachment a : view.attachments()) {
            if (a.network().id().equals(network)) {
                table.put(new NameTable.Entry(a.network(), view.sandbox(), a.endpoint()));
            }
        }
        server.sync(id, view.sandbox());
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
