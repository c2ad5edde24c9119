package dev.berth.daemon.api;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /containers/{id}/top?ps_args=}: the processes of the container's PID namespace as
 * {@code ps -ef} shows them ({@link ProcessTable}). Only {@code ps -ef}'s columns: other
 * {@code ps_args} are refused rather than answered with the wrong columns.
 */
final class TopEndpoints {
    private final ContainerLookup containers;
    private final ProcessTable table;
    private final Clock clock;

    TopEndpoints(ContainerLookup containers, ProcessTable table, Clock clock) {
        this.containers = containers;
        this.table = table;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.add("GET", "/containers/{id}/top", this::top);
    }

    private Reply top(ApiRequest request) {
        String args = request.query("ps_args").orElse("").strip();
        if (!args.isEmpty() && !args.equals("-ef")) {
            throw new InvalidParameterException("ps_args \"" + args + "\" are not supported: Berth shows ps -ef's columns");
        }
        ContainerLookup.Target container = containers.find(request.pathParameter(0));
        if (!container.running() || container.pid() <= 0) {
            throw new ConflictException("container " + container.id().value() + " is not running");
        }
        List<List<String>> rows;
        try {
            rows = table.rows(container.pid(), clock.instant(), clock.getZone());
        } catch (IOException e) {
            throw new InternalException("read the processes of " + container.name() + ": " + e.getMessage(), e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Processes", rows);
        body.put("Titles", ProcessTable.TITLES);
        return Reply.ok(body);
    }
}
