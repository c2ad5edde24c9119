package dev.berth.daemon.driver.none;

import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.spi.NetworkDriver;

/**
 * The {@code null} driver behind the {@code none} network: a sandbox on it gets only its own
 * loopback, so the network has no kernel objects.
 */
public final class NullDriver implements NetworkDriver {
    @Override
    public String name() {
        return PredefinedNetworks.DRIVER_NULL;
    }

    @Override
    public void ensure(Network network) {
        // Nothing to build: isolation is the absence of any interface but lo.
    }

    @Override
    public void delete(Network network) {
        // Nothing was built.
    }
}
