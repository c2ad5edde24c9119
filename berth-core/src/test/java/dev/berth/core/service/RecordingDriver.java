package dev.berth.core.service;

import dev.berth.core.model.Network;
import dev.berth.core.spi.EndpointFailure;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.KernelDrift;
import dev.berth.core.spi.NetworkDriver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A test double of a driver that records the networks it was asked to ensure or delete. */
public final class RecordingDriver implements NetworkDriver {
    public final String name;
    public final List<String> calls = new ArrayList<>();
    /** When set, {@link #ensure} records the call and then throws it. */
    public RuntimeException failEnsure;
    /** When set, {@link #delete} records the call and then throws it. */
    public RuntimeException failDelete;
    /** When set, {@link #join} records the call and then throws it. */
    public RuntimeException failJoin;
    /** When set, {@link #check} throws it (and records nothing: a check changes nothing). */
    public RuntimeException failCheck;
    /** Networks {@link #check} was asked about, by name. */
    public final List<String> checked = new ArrayList<>();
    /** What {@link #drift} reports, until a {@link #restore} clears it when {@link #restoreRepairs}. */
    public final List<KernelDrift> drift = new ArrayList<>();
    /** Runs inside {@link #drift}, after it read: a test's change made while the kernel is read. */
    public volatile Runnable whileDriftReads = () -> { };
    public boolean restoreRepairs = true;
    /** When set, {@link #restore} reports every endpoint as failed with it. */
    public RuntimeException failRestore;
    /** Runs inside {@link #delete}, to act while the service holds its lock. */
    public Runnable onDelete = () -> { };

    public RecordingDriver(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void check(Network network) {
        checked.add(network.name());
        if (failCheck != null) {
            throw failCheck;
        }
    }

    @Override
    public void ensure(Network network) {
        calls.add("ensure " + network.name());
        if (failEnsure != null) {
            throw failEnsure;
        }
    }

    @Override
    public void delete(Network network) {
        calls.add("delete " + network.name());
        onDelete.run();
        if (failDelete != null) {
            throw failDelete;
        }
    }

    @Override
    public void join(EndpointJoin join) {
        calls.add("join " + join.sandbox().name() + " " + join.network().name() + " " + join.endpoint().ifName());
        if (failJoin != null) {
            throw failJoin;
        }
    }

    @Override
    public void leave(EndpointJoin join) {
        calls.add("leave " + join.sandbox().name() + " " + join.network().name());
    }

    @Override
    public void readdress(EndpointJoin join) {
        calls.add("readdress " + join.sandbox().name() + " " + join.network().name() + " "
                + (join.endpoint().ipv6() == null ? "-" : join.endpoint().ipv6()));
    }

    @Override
    public void defaultRoute(EndpointJoin join, boolean ipv6, boolean on) {
        calls.add("route " + (ipv6 ? "v6 " : "v4 ") + (on ? "via " : "off ") + join.network().name() + " in "
                + join.sandbox().name());
    }

    @Override
    public List<EndpointFailure> restore(Collection<Network> networks, Collection<EndpointJoin> joins) {
        calls.add("restore " + joins.size());
        if (restoreRepairs) {
            drift.clear();
        }
        return failRestore == null ? List.of()
                : joins.stream().map(j -> new EndpointFailure(j, failRestore)).toList();
    }

    @Override
    public List<KernelDrift> drift(Collection<Network> networks, Collection<EndpointJoin> joins) {
        calls.add("drift " + networks.size() + " " + joins.size());
        List<KernelDrift> out = List.copyOf(drift);
        whileDriftReads.run();
        return out;
    }
}
