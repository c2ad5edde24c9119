package dev.berth.core.service.sandbox;

import dev.berth.core.service.network.DefaultBridgeChange;
import java.util.List;

/**
 * A reload's change of the default bridge, applied: what changed, and what of the kernel could not
 * be brought in line (one line each, already logged; the store has the wanted state, and the next
 * start converges it).
 */
public record DefaultBridgeReconfigured(DefaultBridgeChange change, List<String> failed) {
    public DefaultBridgeReconfigured {
        failed = List.copyOf(failed);
    }
}
