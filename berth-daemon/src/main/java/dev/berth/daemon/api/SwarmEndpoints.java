package dev.berth.daemon.api;

import dev.berth.core.errors.UnavailableException;

/**
 * The swarm routes answered as a dockerd that is in no swarm answers them, a 503 with moby's
 * words, not a 404 "page not found": clients call {@code POST /swarm/leave} in their clean-up (the
 * Python SDK's test helpers, for one) and take a 404 for a failure. Berth has no swarm mode:
 * {@code init}, {@code join} and the manager-only routes say so.
 */
final class SwarmEndpoints {
    /** Moby's {@code errNoSwarm}. */
    static final String NOT_IN_SWARM = "This node is not part of a swarm";
    /** Moby's answer of a manager-only route on a node in no swarm. */
    static final String NOT_A_MANAGER = "This node is not a swarm manager. Use \"docker swarm init\" or "
            + "\"docker swarm join\" to connect this node to swarm and try again.";
    static final String NO_SWARM_MODE = "Berth has no swarm mode: swarm init and swarm join are not supported";

    void register(Routes routes) {
        Endpoint noSwarm = request -> {
            throw new UnavailableException(NOT_IN_SWARM);
        };
        Endpoint notManager = request -> {
            throw new UnavailableException(NOT_A_MANAGER);
        };
        Endpoint unsupported = request -> {
            throw new UnavailableException(NO_SWARM_MODE);
        };
        routes.add("POST", "/swarm/leave", noSwarm)
                .add("POST", "/swarm/unlock", noSwarm)
                .add("POST", "/swarm/init", unsupported)
                .add("POST", "/swarm/join", unsupported)
                .add("GET", "/swarm", notManager)
                .add("POST", "/swarm/update", notManager)
                .add("GET", "/swarm/unlockkey", notManager);
        for (String kind : new String[] {"nodes", "services", "tasks", "secrets", "configs"}) {
            routes.add("GET", "/" + kind, notManager)
                    .add("GET", "/" + kind + "/{id}", notManager);
        }
        routes.add("POST", "/services/create", notManager)
                .add("POST", "/secrets/create", notManager)
                .add("POST", "/configs/create", notManager);
    }
}
