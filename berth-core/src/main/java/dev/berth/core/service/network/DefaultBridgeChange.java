package dev.berth.core.service.network;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.Network;
import java.util.List;
import java.util.Objects;

/**
 * What re-planning the default bridge for new settings changed (a reload): the network before and
 * after, with the same id, and its endpoints whose IPv6 address changed (gained, moved or lost).
 *
 * @param before      the bridge as it was
 * @param after       the bridge as it is now (equal to {@code before} when nothing changed)
 * @param readdressed the endpoints re-addressed, each before and after
 */
public record DefaultBridgeChange(Network before, Network after, List<Readdressed> readdressed) {

    public DefaultBridgeChange {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        readdressed = List.copyOf(readdressed);
    }

    /** One endpoint's old and new form: same id, interface and MAC, another IPv6 address (or none). */
    public record Readdressed(Endpoint before, Endpoint after) {
    }

    /** Whether the bridge changed at all. */
    public boolean changed() {
        return !before.equals(after);
    }

    /** Whether its addressing changed (subnets, ranges, gateways, IPv6 on or off), not only its options. */
    public boolean addressingChanged() {
        return !before.ipam().equals(after.ipam()) || before.flags().enableIpv6() != after.flags().enableIpv6();
    }
}
