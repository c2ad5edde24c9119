package dev.berth.daemon.driver;

import dev.berth.core.model.Network;
import dev.berth.core.spi.NetworkDriver;

/**
 * A driver whose networks have no kernel objects ({@code host}, {@code null}): {@code ensure}
 * has nothing to build and {@code delete} nothing to remove; the endpoint verbs keep
 * {@link NetworkDriver}'s defaults, which do nothing either.
 */
public abstract class KernelFreeDriver implements NetworkDriver {
    private final String name;

    protected KernelFreeDriver(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void ensure(Network network) {
        // Nothing to build.
    }

    @Override
    public final void delete(Network network) {
        // Nothing was built.
    }
}
