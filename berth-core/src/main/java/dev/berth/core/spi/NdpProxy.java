package dev.berth.core.spi;

import dev.berth.core.model.IpPrefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The host's IPv6 neighbour discovery proxy: entries that make one of its interfaces answer
 * neighbour solicitations for an address that lives behind the host (the kernel's proxy table,
 * {@code ip -6 neigh ... proxy}), and each interface's {@code proxy_ndp} switch. With them a
 * router on the LAN reaches a sandbox whose global address lies inside the LAN's own prefix,
 * which it believes on-link, without a route to the sandbox's subnet.
 *
 * <p>Ownership: the implementation marks every entry it adds, and tells Berth's entries apart from
 * entries anybody else made ({@link Entries}); only Berth's are ever deleted, and an address that
 * already has somebody else's entry on an interface is left to it. Every verb is idempotent.
 */
public interface NdpProxy {

    /**
     * An IPv6 prefix that is on-link at a host interface, host bits cleared: the prefix of a global
     * address of the interface ({@code eth0} with 2001:db8::2/64 gives 2001:db8::/64) or an on-link
     * route on it (no gateway: a router advertisement's prefix beside a DHCPv6 /128). It serves a
     * subnet that is a proper slice of it ({@link IpPrefix#properlyContains}): a subnet equal to
     * the LAN's prefix would take the LAN's route away.
     */
    record OnLink(String device, IpPrefix prefix) {
        public OnLink {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /** A proxy entry: {@code device} answers neighbour solicitations for {@code address}. */
    record Entry(String device, InetAddress address) {
        public Entry {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(address, "address");
        }
    }

    /** The IPv6 proxy entries now: those Berth made, and those somebody else made (never touched). */
    record Entries(Set<Entry> berths, Set<Entry> foreign) {
        public Entries {
            berths = Set.copyOf(berths);
            foreign = Set.copyOf(foreign);
        }
    }

    /**
     * The IPv6 prefixes on-link at the host's interfaces, read afresh: those of global addresses and
     * of routes without a gateway, shorter than /128, on any interface except loopback and Berth's
     * own devices. A few dumps: the caller keeps the answer between its periodic checks.
     */
    List<OnLink> onLink();

    /** Whether {@code proxy_ndp} is on for the interface (false when it is gone). */
    boolean proxying(String device);

    /** Turns {@code proxy_ndp} on for the interface; nothing when it is on. Never turns it off. */
    void enable(String device);

    /**
     * Adds Berth's entry; nothing when it is there. Returns false, changing nothing, when somebody
     * else's entry for the address is on the interface already (it serves the address just as well).
     */
    boolean add(Entry entry);

    /** Deletes Berth's entry; nothing when it is gone or is somebody else's. */
    void delete(Entry entry);

    /** Every IPv6 proxy entry, by who made it. */
    Entries entries();

    /** A host without IPv6 interfaces: nothing is on-link, there are no entries. For tests. */
    static NdpProxy none() {
        return new NdpProxy() {
            @Override
            public List<OnLink> onLink() {
                return List.of();
            }

            @Override
            public boolean proxying(String device) {
                return false;
            }

            @Override
            public void enable(String device) {
            }

            @Override
            public boolean add(Entry entry) {
                return true;
            }

            @Override
            public void delete(Entry entry) {
            }

            @Override
            public Entries entries() {
                return new Entries(Set.of(), Set.of());
            }
        };
    }
}
