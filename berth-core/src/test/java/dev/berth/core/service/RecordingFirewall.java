package dev.berth.core.service;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.spi.Firewall;
import dev.berth.core.spi.KernelDrift;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A test double of the firewall that records each call as text, e.g. {@code "ensure net1"}.
 * Shared with the daemon module's tests through berth-core's test jar.
 */
public final class RecordingFirewall implements Firewall {
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** What {@link #missingElements} answers. */
    public final List<KernelDrift> missing = Collections.synchronizedList(new ArrayList<>());

    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void rebuild(Collection<Network> networks, Collection<SandboxPorts> published) {
        calls.add("rebuild " + networks.size() + (published.isEmpty() ? ""
                : " " + published.stream().map(RecordingFirewall::text).toList()));
    }

    @Override
    public List<KernelDrift> missingElements(Collection<Network> networks, Collection<SandboxPorts> published) {
        calls.add("missing " + networks.size() + " " + published.size());
        return List.copyOf(missing);
    }

    @Override
    public void ensureNetwork(Network network) {
        calls.add("ensure " + network.name());
    }

    @Override
    public void removeNetwork(Network network) {
        calls.add("remove " + network.name());
    }

    @Override
    public void publish(SandboxPorts ports) {
        calls.add("publish " + text(ports));
    }

    /** {@code key [tcp 0.0.0.0:8080->172.18.0.2:80, ...]}. */
    public static String text(SandboxPorts ports) {
        return ports.key() + " " + ports.bindings().stream().map(b -> b.protocol() + " "
                + IpAddresses.format(b.hostIp()) + ":" + b.hostPort() + "->" + IpAddresses.format(b.sandboxIp())
                + ":" + b.sandboxPort()).toList();
    }

    @Override
    public void unpublish(String key) {
        calls.add("unpublish " + key);
    }
}
