package dev.berth.daemon.api;

import dev.berth.core.errors.BerthException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.model.IpAddresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine API over Unix sockets and TCP (with TLS: {@link ApiTls}), every listener served by
 * the one dispatcher: Jetty 12 core handlers, requests run on virtual threads.
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

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final ApiContext context;
    private final int acceptQueue;
    private final Consumer<Routes> extraRoutes;
    private final RequestObserver observer;
    private Server server;
    private List<SocketFile> sockets = List.of();
    private ExecutorService virtualThreads;

    /** {@code acceptQueue}: the socket's listen backlog, {@link AcceptQueue#size} of the system's somaxconn. */
    public ApiServer(ApiContext context, int acceptQueue) {
        this(context, acceptQueue, RequestObserver.NONE);
    }

    /** {@code observer} is told of every request answered (the daemon's metrics). */
    public ApiServer(ApiContext context, int acceptQueue, RequestObserver observer) {
        this(context, acceptQueue, routes -> { }, observer);
    }

    /** With the kernel's default backlog ({@link AcceptQueue#FALLBACK}): for tests. */
    ApiServer(ApiContext context) {
        this(context, AcceptQueue.FALLBACK, routes -> { }, RequestObserver.NONE);
    }

    /** With routes added after the standard ones (tests use it to exercise request decoding). */
    ApiServer(ApiContext context, Consumer<Routes> extraRoutes) {
        this(context, AcceptQueue.FALLBACK, extraRoutes, RequestObserver.NONE);
    }

    private ApiServer(ApiContext context, int acceptQueue, Consumer<Routes> extraRoutes, RequestObserver observer) {
        if (acceptQueue <= 0) {
            throw new IllegalArgumentException("accept queue must be positive: " + acceptQueue);
        }
        this.context = context;
        this.acceptQueue = acceptQueue;
        this.extraRoutes = extraRoutes;
        this.observer = observer;
    }

    /** Listens on {@code socketPath}, the socket keeping the daemon's own group. */
    public void start(Path socketPath) {
        start(socketPath, SocketGroup.own());
    }

    /**
     * Listens on {@code socketPath}: creates parent directories, removes a stale socket file, fails
     * if another daemon answers there, and leaves the socket at mode 0660 in {@code group}.
     */
    public void start(Path socketPath, SocketGroup group) {
        start(List.of(new ApiListener.Unix(socketPath)), group, Optional.empty());
    }

    /**
     * Listens on every one of {@code listeners} (dockerd's {@code -H}s) with the one dispatcher:
     * Unix sockets as {@link #start(Path, SocketGroup)} makes them, TCP addresses with TLS when
     * {@code tls} is given (and with {@link HandshakeLog} logging refused handshakes). Nothing is
     * left listening when one of them fails. Returns the addresses as bound ({@code 127.0.0.1:2376},
     * a socket's path), in order: a TCP port 0 becomes the port the kernel chose.
     */
    public synchronized List<String> start(List<ApiListener> listeners, SocketGroup group, Optional<ApiTls> tls) {
        if (server != null) {
            throw new IllegalStateException("API server already started on " + sockets);
        }
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no hosts configured");
        }
        List<SocketFile> files = new ArrayList<>();
        for (ApiListener listener : listeners) {
            if (listener instanceof ApiListener.Unix unix) {
                SocketFile file = new SocketFile(unix.path());
                file.prepare();
                files.add(file);
            }
        }
        warnUnauthenticated(listeners, tls);
        // the files are read again now: a fault stops here, before anything is made
        Optional<SslContextFactory.Server> ssl = tls.map(ApiTls::serverFactory);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-api-", 0).factory());
        Server jetty = newServer(listeners, ssl, executor);
        List<String> bound = new ArrayList<>();
        try {
            jetty.start();
            for (SocketFile file : files) {
                file.restrictPermissions(group);
            }
            for (Connector connector : jetty.getConnectors()) {
                bound.add(connector instanceof ServerConnector tcp
                        ? address(tcp.getHost(), tcp.getLocalPort())
                        : ((UnixDomainServerConnector) connector).getUnixDomainPath().toString());
            }
        } catch (Exception e) {
            stopQuietly(jetty, e);
            executor.close();
            files.forEach(SocketFile::delete);
            if (e instanceof BerthException berth) {
                throw berth;
            }
            throw new InternalException("start API server on " + listeners + ": " + e.getMessage(), e);
        }
        server = jetty;
        sockets = List.copyOf(files);
        virtualThreads = executor;
        return List.copyOf(bound);
    }

    /** Stops accepting, finishes nothing in flight, and deletes the socket files. */
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
            throw new InternalException("stop API server on " + sockets + ": " + e.getMessage(), e);
        } finally {
            // Interrupt, not close(): close() waits for every request, and some block by design
            // (a wait on a sandbox without a process ends only with the sandbox), so SIGTERM hung.
            virtualThreads.shutdownNow();
            awaitQuietly(virtualThreads);
            sockets.forEach(SocketFile::delete);
            server = null;
        }
    }

    /**
     * dockerd's warnings for a TCP listener that does not verify client certificates (the
     * configuration allows one only when asked for explicitly). dockerd then sleeps a second; Berth does not.
     */
    private static void warnUnauthenticated(List<ApiListener> listeners, Optional<ApiTls> tls) {
        if (tls.isPresent() && tls.get().verifyClients()) {
            return;
        }
        for (ApiListener listener : listeners) {
            if (listener instanceof ApiListener.Tcp) {
                LOG.warn("Binding to IP address without --tlsverify is insecure and gives root access on this machine "
                        + "to everyone who has access to your network. (host {})", listener);
                LOG.warn("Binding to an IP address, even on localhost, can also give access to scripts run in a "
                        + "browser. Be safe out there! (host {})", listener);
                LOG.warn("[DEPRECATION NOTICE] In future versions this will be a hard failure preventing the daemon "
                        + "from starting! Learn more at: https://docs.docker.com/go/api-security/ (host {})", listener);
            }
        }
    }

    private static String address(String host, int port) {
        String name = host == null ? "0.0.0.0" : host;
        return IpAddresses.hostPort(name, port);
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

    private Server newServer(List<ApiListener> listeners, Optional<SslContextFactory.Server> ssl,
                             ExecutorService executor) {
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
        for (ApiListener listener : listeners) {
            switch (listener) {
                case ApiListener.Unix unix -> {
                    UnixDomainServerConnector connector = new UnixDomainServerConnector(jetty, new HttpConnectionFactory(http));
                    connector.setUnixDomainPath(unix.path());
                    connector.setAcceptQueueSize(acceptQueue);
                    jetty.addConnector(connector);
                }
                case ApiListener.Tcp tcp -> {
                    HttpConnectionFactory plain = new HttpConnectionFactory(http);
                    ServerConnector connector;
                    if (ssl.isPresent()) {
                        SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl.get(), plain.getProtocol());
                        connector = new ServerConnector(jetty, 1, 1, new TlsOnly(tlsFactory), tlsFactory, plain);
                    } else {
                        connector = new ServerConnector(jetty, 1, 1, plain);
                    }
                    ssl.ifPresent(s -> connector.addBean(new HandshakeLog()));
                    connector.setHost(tcp.host());
                    connector.setPort(tcp.port());
                    connector.setAcceptQueueSize(acceptQueue);
                    jetty.addConnector(connector);
                }
            }
        }
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
        new VolumeEndpoints(new Filters(json)).register(routes);
        if (context.images() != null) {
            new ImageEndpoints(context.images(), new Filters(json), json).register(routes);
        }
        extraRoutes.accept(routes);
        Dispatcher dispatcher = new Dispatcher(routes, json, context.system().version(), executor, observer);
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
