package dev.berth.daemon.api;

import dev.berth.core.model.IpPrefix;
import dev.berth.core.service.InMemoryStore;
import dev.berth.core.service.RecordingFirewall;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.network.DefaultBridgeSettings;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.network.NetworkSettings;
import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.state.ServiceDependencies;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.HostPrefixes;
import dev.berth.core.spi.ImageStore;
import dev.berth.core.spi.ProcessLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Test fixture: an {@link ApiServer} on a socket in a temporary directory, backed by a real
 * {@link NetworkService} with an in-memory store and drivers that touch no kernel.
 */
final class TestDaemon implements AutoCloseable {
    static final Instant CREATED = Instant.parse("2026-11-28T01:03:27.581170769Z");

    final Path socket;
    final NetworkService networks;
    final SandboxService sandboxes;
    final SandboxProcesses processes;
    final ApiServer server;
    /** The containers' streams when made with a {@link FakeContainerIo}; else null. */
    final FakeContainerIo io;
    /** The TCP listener's port, when there is one. */
    int tcpPort;

    TestDaemon(Path directory) {
        this(directory, routes -> { });
    }

    TestDaemon(Path directory, Consumer<Routes> extraRoutes) {
        this(directory, extraRoutes, Clock.fixed(CREATED, ZoneOffset.UTC));
    }

    /** With a clock of the test's choosing: the system clock for event tests that compare with "now". */
    TestDaemon(Path directory, Clock clock) {
        this(directory, routes -> { }, clock);
    }

    private TestDaemon(Path directory, Consumer<Routes> extraRoutes, Clock clock) {
        this(directory, extraRoutes, clock, null, null);
    }

    /**
     * With processes run by {@code launcher} and containers made from {@code images} (restarts
     * after their back-off on a timer of their own); {@code launcher} {@code null}: none.
     */
    TestDaemon(Path directory, Clock clock, ProcessLauncher launcher, ImageStore images) {
        this(directory, routes -> { }, clock, launcher, images);
    }

    private TestDaemon(Path directory, Consumer<Routes> extraRoutes, Clock clock, ProcessLauncher launcher,
                       ImageStore images) {
        this.socket = directory.resolve("berth.sock");
        ServiceState state = state(clock);
        this.networks = networkService(state);
        this.sandboxes = sandboxService(state, networks);
        this.processes = launcher == null ? SandboxProcesses.withoutProcesses(sandboxes, clock)
                : new SandboxProcesses(state, sandboxes, launcher, images, null);
        this.server = new ApiServer(new ApiContext(networks, sandboxes, networks.events(), Clock.systemUTC(), system(),
                processes), extraRoutes);
        this.io = null;
        server.start(socket);
    }

    /**
     * With containers whose streams are {@code io}'s: every sandbox counts as a container from an
     * image (a TTY when {@code io.tty} holds it, {@code StdinOnce}), its process started and ended
     * by {@code launcher}.
     */
    TestDaemon(Path directory, FakeLauncher launcher, FakeContainerIo io) {
        this(directory, launcher, io, null);
    }

    /**
     * As {@link #TestDaemon(Path, FakeLauncher, FakeContainerIo)}, listening also on 127.0.0.1 at a
     * port the kernel picks ({@link #tcpPort}) with {@code tls} (null: none).
     */
    TestDaemon(Path directory, FakeLauncher launcher, FakeContainerIo io, ApiTls tls) {
        this.socket = directory.resolve("berth.sock");
        ServiceState state = state(Clock.systemUTC());
        this.networks = networkService(state);
        this.sandboxes = sandboxService(state, networks);
        this.processes = new SandboxProcesses(state, sandboxes, launcher);
        this.io = io;
        ContainerLookup base = ContainerLookup.over(sandboxes, processes);
        ContainerLookup containers = term -> {
            ContainerLookup.Target t = base.find(term);
            return new ContainerLookup.Target(t.id(), t.name(), t.status(), t.pid(), io.tty.contains(t.id()), true,
                    true, t.rawLog());
        };
        this.server = new ApiServer(new ApiContext(networks, sandboxes, networks.events(), Clock.systemUTC(), system(),
                processes, dev.berth.daemon.doctor.Doctor.none(), null, io, containers));
        if (tls == null) {
            server.start(socket);
        } else {
            List<String> bound = server.start(List.of(new ApiListener.Unix(socket), new ApiListener.Tcp("127.0.0.1", 0)),
                    SocketGroup.own(), java.util.Optional.of(tls));
            tcpPort = Integer.parseInt(bound.get(1).substring(bound.get(1).lastIndexOf(':') + 1));
        }
    }

    /** A started service with the three predefined networks, all created at {@link #CREATED}. */
    static NetworkService networkService() {
        return networkService(state(Clock.fixed(CREATED, ZoneOffset.UTC)));
    }

    /** The state both services share, over an in-memory store and drivers that do nothing. */
    static ServiceState state(Clock clock) {
        return new ServiceState(new ServiceDependencies(new InMemoryStore(),
                List.of(new NoopNetworkDriver("bridge"), new NoopNetworkDriver("host"), new NoopNetworkDriver("null")),
                new RecordingFirewall(), HostPrefixes.none(), new EventLog(), clock, new Random(42)));
    }

    static NetworkService networkService(ServiceState state) {
        NetworkService service = new NetworkService(state, NetworkSettings.defaults());
        service.start(new DefaultBridgeSettings(IpPrefix.parse("172.17.0.1/16"), 1500, true, true, "0.0.0.0"));
        return service;
    }

    /** Sandboxes over a runtime that makes no namespaces. */
    static SandboxService sandboxService(ServiceState state, NetworkService networks) {
        SandboxService service = new SandboxService(state, networks, new NoopSandboxRuntime());
        service.start();
        return service;
    }

    /** A context over fresh services, for tests that only need a server. */
    static ApiContext context() {
        ServiceState state = state(Clock.fixed(CREATED, ZoneOffset.UTC));
        NetworkService networks = networkService(state);
        return new ApiContext(networks, sandboxService(state, networks), system());
    }

    static SystemInfo system() {
        return new SystemInfo("0.1.0-test", "abc1234", "5f7c1e2a-0000-4000-8000-000000000001", "testhost",
                "6.8.0-test", "Test Linux 1.0", "/var/lib/berth", 4, 8L << 30, "2026-11-28T00:00:00.000000000+00:00");
    }

    RawHttp http() {
        return new RawHttp(socket);
    }

    @Override
    public void close() {
        server.close();
        processes.close();
    }
}
