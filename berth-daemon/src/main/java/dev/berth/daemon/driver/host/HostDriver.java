package dev.berth.daemon.driver.host;

import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.spi.NetworkDriver;

/**
 * The {@code host} driver: a sandbox on it shares the daemon's host namespace, so the network
 * itself has no kernel objects to make or remove.
 */
public final class HostDriver implements NetworkDriver {
    @Override
    public String name() {
        return PredefinedNetworks.DRIVER_HOST;
    }

    @Override
    public void ensure(Network network) {
        // Nothing to build: the host's own links and addresses are the network.
    }

    @Override
    public void delete(Network network) {
        // Nothing was built.
    }
}
