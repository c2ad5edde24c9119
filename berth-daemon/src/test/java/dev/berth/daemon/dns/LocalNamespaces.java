package dev.berth.daemon.dns;

import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.SandboxNamespaces;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** A {@link SandboxNamespaces} that stays in the test's namespace and records the redirects. */
final class LocalNamespaces implements SandboxNamespaces {
    final Map<SandboxId, DnsServer.Ports> redirects = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicInteger redirectCalls = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether {@link #dnsRedirect} reports the recorded redirects (a namespace that outlived its daemon). */
    volatile boolean keepsRedirects;
    /** How often {@link #dnsRedirect} read a namespace's ruleset. */
    final java.util.concurrent.atomic.AtomicInteger redirectReads = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public <T> T call(Sandbox sandbox, Supplier<T> task) {
        return task.get();
    }

    @Override
    public void redirectDns(Sandbox sandbox, int udpPort, int tcpPort) {
        redirectCalls.incrementAndGet();
        redirects.put(sandbox.id(), new DnsServer.Ports(udpPort, tcpPort));
    }

    /** With {@link #keepsRedirects}: the last redirect recorded for the sandbox, as a namespace keeps its rules. */
    @Override
    public Optional<DnsPorts> dnsRedirect(Sandbox sandbox) {
        redirectReads.incrementAndGet();
        return Optional.ofNullable(keepsRedirects ? redirects.get(sandbox.id()) : null)
                .map(p -> new DnsPorts(p.udp(), p.tcp()));
    }
}
