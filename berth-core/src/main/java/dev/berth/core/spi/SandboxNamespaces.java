package dev.berth.core.spi;

import dev.berth.core.model.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Short tasks inside a sandbox's network namespace, for the embedded DNS server: it opens its
 * listening sockets through {@link #call} (a socket keeps the namespace it was opened in) and
 * has the port-53 redirect installed through {@link #redirectDns}.
 */
public interface SandboxNamespaces {

    /**
     * Runs {@code task} on a platform thread that is inside the sandbox's namespace for the
     * duration of the task, and returns its result; exceptions propagate unchanged.
     */
    <T> T call(Sandbox sandbox, Supplier<T> task);

    /**
     * Installs (replacing any earlier one) the rules inside the sandbox's namespace that send UDP
     * and TCP traffic for {@code 127.0.0.11:53} to the given ports on 127.0.0.11 and rewrite the
     * replies' source port back to 53.
     */
    void redirectDns(Sandbox sandbox, int udpPort, int tcpPort);

    /**
     * The ports the sandbox's port-53 redirect sends to now, if it has one: what an earlier daemon
     * left in a namespace that outlived it. A new listener bound to the same ports needs no
     * {@link #redirectDns}, whose replacing of rules costs an RCU grace period per namespace.
     */
    Optional<DnsPorts> dnsRedirect(Sandbox sandbox);

    /**
     * {@link #dnsRedirect} and then {@code task} with what it found, inside the namespace as
     * {@link #call} runs it, in one visit: a start-up that adopts many namespaces enters each once
     * for both.
     */
    default <T> T callAfterDnsRedirect(Sandbox sandbox, Function<Optional<DnsPorts>, T> task) {
        Optional<DnsPorts> left = dnsRedirect(sandbox);
        return call(sandbox, () -> task.apply(left));
    }

    /**
     * {@link #callAfterDnsRedirect} for each of {@code sandboxes}, side by side where the
     * implementation can (start-up's pass over every sandbox): one future per sandbox, in order,
     * each completed (with the task's result, or with its failure or the namespace's) when this
     * returns. The default visits them one after another.
     */
    default <T> List<CompletableFuture<T>> callAfterDnsRedirectEach(List<Sandbox> sandboxes,
                                                                    BiFunction<Sandbox, Optional<DnsPorts>, T> task) {
        List<CompletableFuture<T>> out = new ArrayList<>();
        for (Sandbox s : sandboxes) {
            CompletableFuture<T> f = new CompletableFuture<>();
            try {
                f.complete(callAfterDnsRedirect(s, left -> task.apply(s, left)));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
            out.add(f);
        }
        return out;
    }

    /** The UDP and TCP ports on 127.0.0.11 that a redirect sends port 53 to. */
    record DnsPorts(int udp, int tcp) {
    }
}
