package dev.berth.core.service;

import dev.berth.core.errors.InternalException;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.spi.NdpProxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host's NDP proxy in memory: on-link prefixes, Berth's and foreign proxy entries and the
 * interfaces with {@code proxy_ndp} on, as the tests set them; every changing call is recorded as
 * text ({@code "add eth0 2001:db8::1:0:0:2"}, {@code "enable eth0"}), and calls starting with
 * {@link #refused} fail.
 */
public final class RecordingNdpProxy implements NdpProxy {
    public final List<OnLink> onLink = new CopyOnWriteArrayList<>();
    public final Set<Entry> berths = ConcurrentHashMap.newKeySet();
    public final Set<Entry> foreign = ConcurrentHashMap.newKeySet();
    public final Set<String> proxying = ConcurrentHashMap.newKeySet();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** Changing calls whose text starts with this throw; null: none. */
    public volatile String refused;
    /** How many {@link #entries()} and {@link #onLink()} reads were made. */
    public volatile int reads;
    /** How many {@link #onLink()} reads were made (each is a few dumps of the host). */
    public volatile int onLinkReads;

    /** {@code device} has {@code prefix} (e.g. "2001:db8::2/64") on-link. */
    public RecordingNdpProxy link(String device, String prefix) {
        onLink.add(new OnLink(device, IpPrefix.parse(prefix).masked()));
        return this;
    }

    public static Entry entry(String device, String address) {
        return new Entry(device, IpAddresses.parse(address));
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    public void clearCalls() {
        calls.clear();
    }

    /** Berth's entries as sorted text, {@code "eth0 2001:db8::1:0:0:2"}. */
    public List<String> berthsText() {
        return berths.stream().map(RecordingNdpProxy::text).sorted().toList();
    }

    public static String text(Entry entry) {
        return entry.device() + " " + IpAddresses.format(entry.address());
    }

    private void record(String call) {
        calls.add(call);
        String prefix = refused;
        if (prefix != null && call.startsWith(prefix)) {
            throw new InternalException("refused: " + call);
        }
    }

    @Override
    public List<OnLink> onLink() {
        reads++;
        onLinkReads++;
        return List.copyOf(onLink);
    }

    @Override
    public boolean proxying(String device) {
        return proxying.contains(device);
    }

    @Override
    public void enable(String device) {
        record("enable " + device);
        proxying.add(device);
    }

    @Override
    public boolean add(Entry entry) {
        record("add " + text(entry));
        if (foreign.contains(entry)) {
            return false;
        }
        berths.add(entry);
        return true;
    }

    @Override
    public void delete(Entry entry) {
        record("delete " + text(entry));
        berths.remove(entry);
    }

    @Override
    public Entries entries() {
        reads++;
        return new Entries(berths, foreign);
    }
}
