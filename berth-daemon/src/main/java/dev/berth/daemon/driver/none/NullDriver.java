package dev.berth.daemon.driver.none;

import dev.berth.core.model.PredefinedNetworks;
import dev.berth.daemon.driver.KernelFreeDriver;

/**
 * The {@code null} driver behind the {@code none} network: a sandbox on it gets only its own
 * loopback, so the network has no kernel objects: isolation is the absence of any interface but
 * lo.
 */
public final class NullDriver extends KernelFreeDriver {
    public NullDriver() {
        super(PredefinedNetworks.DRIVER_NULL);
    }
}
