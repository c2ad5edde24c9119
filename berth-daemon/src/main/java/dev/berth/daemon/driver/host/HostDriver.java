package dev.berth.daemon.driver.host;

import dev.berth.core.model.PredefinedNetworks;
import dev.berth.daemon.driver.KernelFreeDriver;

/**
 * The {@code host} driver: a sandbox on it shares the daemon's host namespace, so the network
 * itself has no kernel objects to make or remove: the host's own links and addresses are the
 * network.
 */
public final class HostDriver extends KernelFreeDriver {
    public HostDriver() {
        super(PredefinedNetworks.DRIVER_HOST);
    }
}
