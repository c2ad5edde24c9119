package dev.berth.daemon.api;

import dev.berth.core.errors.BerthException;
import dev.berth.core.errors.InternalException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Engine API over a Unix socket: Jetty 12 core handlers, requests run on virtual threads.
 * Handlers never switch namespaces; the services do kernel work on their own threads. Bodies are
 * limited by {@link BodyLimit}, the request line and headers by {@link #HEADER_BYTES}, and the
 * listen backlog is the one it is given: the system's {@code somaxconn} ({@link AcceptQueue}).
 */
public final class ApiServer implements AutoCloseable {
    /** How long a stop waits for Jetty, then for the requests it interrupted. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The request line and headers together, at most: past it Jetty answers 414 (line) or 431
     * (headers). Go's net/http allows 1 MiB; 64 KiB holds any filter the CLI builds.
     */
    static final int HEADER_BYTES = 64 * 1024;
    /**
     * Jetty sizes its padded arrays by the references per cache line; unless told, its
     * {@code MemoryUtils} asks the platform MBean server whether oops are compressed, which starts
     * JMX (and the JFR diagnostic commands behind it): ~200 classes and some MiB for one number.
     * 16 is its answer for a 64-byte line and compressed oops (any heap below 32 GiB).
     */
    private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    static {
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
        }
    }

    private final ApiContext context;
    private final int acceptQueue;
    private final Consumer<Routes> extraRoutes;
    private Server server;
    private SocketFile socket;
    private ExecutorService virtualThreads;

    /** {@code acceptQueue}: the socket's listen backlog, {@link AcceptQueue#size} of the system's somaxconn. */
    public ApiServer(ApiContext context, int acceptQueue) {
        this(context, acceptQueue, routes -> { });
    }

    /** With the kernel's default backlog ({@link AcceptQueue#FALLBACK}): for tests. */
    ApiServer(ApiContext context) {
        this(context, AcceptQueue.FALLBACK, routes -> { });
    }

    /** With routes added after the standard ones (tests use it to exercise request decoding). */
    ApiServer(ApiContext context, Consumer<Routes> extraRoutes) {
        this(context, AcceptQueue.FALLBACK, extraRoutes);
    }

    private ApiServer(ApiContext context, int acceptQueue, Consumer<Routes> extraRoutes) {
        if (acceptQueue <= 0) {
            throw new IllegalArgumentException("accept queue must be positive: " + acceptQueue);
        }
        this.context = context;
        this.acceptQueue = acceptQueue;
        this.extraRoutes = extraRoutes;
    }

    /** Listens on {@code socketPath}, the socket keeping the daemon's own group. */
    public void start(Path socketPath) {
        start(socketPath, SocketGroup.own());
    }

    /**
     * Listens on {@code socketPath}: creates parent directories, removes a stale socket file, fails
     * if another daemon answers there, and leaves the socket at mode 0660 in {@code group}.
     */
    public synchronized void start(Path socketPath, SocketGroup group) {
        if (server != null) {
            throw new IllegalStateException("API server already started on " + socket.path());
        }
        SocketFile file = new SocketFile(socketPath);
        file.prepare();
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-api-", 0).factory());
        Server jetty = newServer(socketPath, executor);
        try {
            jetty.start();
            file.restrictPermissions(group);
        } catch (Exception e) {
            stopQuietly(jetty, e);
            executor.close();
            if (e instanceof BerthException berth) {
                throw berth;
            }
            throw new InternalException("start API server on " + socketPath + ": " + e.getMessage(), e);
        }
        server = jetty;
        socket = file;
        virtualThreads = executor;
    }

    /** Stops accepting, finishes nothing in flight, and deletes the socket file. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // requests still running after the graceful stop: interrupted just below
        } catch (Exception e) {
            throw new InternalException("stop API server on " + socket.path() + ": " + e.getMessage(), e);
        } finally {
            // Interrupt, not close(): close() waits for every request, and some block by design
            // (a wait on a sandbox without a process ends only with the sandbox), so SIGTERM hung.
            virtualThreads.shutdownNow();
            awaitQuietly(virtualThreads);
            socket.delete();
            server = null;
        }
    }

    /**
     * Initialises Jetty's classes (header and MIME tables, the connector, the thread pool) on the
     * calling thread and drops what it made: nothing is started or bound. berthd runs it on a
     * second thread while the main one sets up store, links and firewall, so that the server is
     * quick to make when its turn comes.
     */
    public static void prewarm() {
        Server jetty = new Server(new QueuedThreadPool());
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.DEFAULT.with("berth", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        jetty.addConnector(new UnixDomainServerConnector(jetty, new HttpConnectionFactory(http)));
        new JsonCodec();
    }

    private Server newServer(Path socketPath, ExecutorService executor) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("berth-api");
        threads.setVirtualThreadsExecutor(executor);
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(HEADER_BYTES);
        // Go's net/http decodes %2F in paths; network names may hold '/', so do the same.
        http.setUriCompliance(UriCompliance.DEFAULT.with("berth", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        UnixDomainServerConnector connector = new UnixDomainServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setUnixDomainPath(socketPath);
        connector.setAcceptQueueSize(acceptQueue);
        jetty.addConnector(connector);
        JsonCodec json = new JsonCodec();
        Routes routes = new Routes();
        new SystemEndpoints(context.system()).register(routes);
        new NetworkEndpoints(context.networks(), context.sandboxes(), new Filters(json)).register(routes);
        new ContainerEndpoints(context.sandboxes(), context.processes(), context.clock(), new Filters(json)).register(routes);
        new AttachEndpoints(context.containers(), context.io()).register(routes);
        new LogEndpoints(context.containers(), context.io()).register(routes);
        new ExecEndpoints(context.containers(), context.io(), context.clock()).register(routes);
        new TopEndpoints(context.containers(), ProcessTable.host(), java.time.Clock.systemDefaultZone()).register(routes);
        new EventEndpoints(context.events(), new Filters(json), json, context.clock()).register(routes);
        new DoctorEndpoints(context.doctor()).register(routes);
        new SwarmEndpoints().register(routes);
        if (context.images() != null) {
            new ImageEndpoints(context.images(), new Filters(json), json).register(routes);
        }
        extraRoutes.accept(routes);
        Dispatcher dispatcher = new Dispatcher(routes, json, context.system().version(), executor);
        jetty.setHandler(BodyLimit.wrap(dispatcher));
        jetty.setErrorHandler(new JsonErrorPage(dispatcher));
        jetty.setStopTimeout(STOP_TIMEOUT.toMillis());
        return jetty;
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopQuietly(Server jetty, Exception cause) {
        try {
            jetty.stop();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
