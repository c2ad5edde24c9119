package dev.berth.daemon.dns;

import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.SandboxNamespaces;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** A {@link SandboxNamespaces} that stays in the test's namespace and records the redirects. */
final class LocalNamespaces implements SandboxNamespaces {
    final Map<SandboxId, DnsServer.Ports> redirects = new ConcurrentHashMap<>();

    @Override
    public <T> T call(Sandbox sandbox, Supplier<T> task) {
        return task.get();
    }

    @Override
    public void redirectDns(Sandbox sandbox, int udpPort, int tcpPort) {
        redirects.put(sandbox.id(), new DnsServer.Ports(udpPort, tcpPort));
    }
}
