package dev.berth.daemon;

import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.Attachment;
import dev.berth.core.service.Event;
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
 * Keeps the DNS server's name table and listeners in step with the sandboxes: a full rebuild
 * from {@link SandboxService#list()} at start and on every container create/destroy and network
 * connect/disconnect event. The events are published under the service's write lock, after the
 * change, so the next query sees it. A rebuild is cheap (one pass over the endpoints); opening a
 * new sandbox's listeners costs a namespace switch (tens of µs) plus one nft transaction.
 */
final class DnsFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsFeed.class.getName());
    private final SandboxService sandboxes;
    private final DnsServer server;
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

    private void onEvent(Event event) {
        boolean container = event.type().equals(Event.TYPE_CONTAINER)
                && (event.action().equals("create") || event.action().equals("destroy"));
        boolean network = event.type().equals(Event.TYPE_NETWORK)
                && (event.action().equals("connect") || event.action().equals("disconnect"));
        if (container || network) {
            refresh();
        }
    }

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
            server.update(NameTable.build(entries), byId);
        } catch (RuntimeException e) {
            // Never let the event log drop us: the next change rebuilds everything anyway.
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
