package dev.berth.core.spi;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.model.SandboxId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durable desired state. Every method is one transaction: after a crash the store holds either
 * all of a change or none of it.
 */
public interface StateStore extends AutoCloseable {

    List<Network> networks();

    /** Inserts the network or replaces the stored one with the same id. */
    void putNetwork(Network network);

    /**
     * Replaces a network and, in the same transaction, endpoints on it that were re-addressed for
     * it (a reload changed its addressing): a crash never leaves endpoints outside their network.
     */
    void putNetwork(Network network, Collection<Endpoint> endpoints);

    /** Deletes the network; succeeds when it is already gone. */
    void deleteNetwork(NetworkId id);

    /**
     * Removes the network and, in the same transaction, keeps it as <em>retired</em>: its kernel
     * objects may still exist. Whoever removes them calls {@link #forgetRetired}; a retired
     * network still listed at start-up had its removal cut short by a crash and is cleaned up then.
     */
    void retireNetwork(Network network);

    /** Networks retired and not yet forgotten. */
    List<Network> retired();

    /** Drops the retired record; succeeds when it is already gone. */
    void forgetRetired(NetworkId id);

    List<Sandbox> sandboxes();

    /** Inserts the sandbox or replaces the stored one with the same id. */
    void putSandbox(Sandbox sandbox);

    /** Deletes the sandbox and, in the same transaction, its endpoints and command; succeeds when it is already gone. */
    void deleteSandbox(SandboxId id);

    /** The commands of sandboxes made to run a process. */
    List<SandboxCommand> commands();

    /** Inserts the command or replaces the one stored for the same sandbox. */
    void putCommand(SandboxCommand command);

    /**
     * Inserts a sandbox together with the command it is made to run, in one transaction: a crash
     * never leaves a sandbox of {@code berth run} that has forgotten what to run.
     */
    void putSandbox(Sandbox sandbox, SandboxCommand command);

    List<Endpoint> endpoints();

    /** Inserts the endpoint or replaces the stored one with the same id. */
    void putEndpoint(Endpoint endpoint);

    /** Deletes the endpoint; succeeds when it is already gone. */
    void deleteEndpoint(EndpointId id);

    /** A daemon-wide setting such as the engine id. */
    Optional<String> setting(String key);

    void putSetting(String key, String value);

    @Override
    void close();
}
