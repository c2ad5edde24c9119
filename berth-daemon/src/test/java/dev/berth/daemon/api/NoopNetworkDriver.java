package dev.berth.daemon.api;

import dev.berth.core.model.Network;
import dev.berth.core.spi.NetworkDriver;

/** Test fake: a driver that creates no kernel objects. */
record NoopNetworkDriver(String name) implements NetworkDriver {
    @Override
    public void ensure(Network network) {
    }

    @Override
    public void delete(Network network) {
    }
}
