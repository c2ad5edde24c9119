package dev.berth.core.service;

import dev.berth.core.model.Network;
import dev.berth.core.spi.NetworkDriver;
import java.util.ArrayList;
import java.util.List;

/** A test double of a driver that records the networks it was asked to ensure or delete. */
final class RecordingDriver implements NetworkDriver {
    final String name;
    final List<String> calls = new ArrayList<>();

    RecordingDriver(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void ensure(Network network) {
        calls.add("ensure " + network.name());
    }

    @Override
    public void delete(Network network) {
        calls.add("delete " + network.name());
    }
}
