package dev.berth.daemon.metrics;

import dev.berth.core.model.IpAddresses;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The library's HTTP server (the JDK's {@code com.sun.net.httpserver}) on one TCP address, with
 * one thread of its own: a scrape at a time is plenty. It serves {@code /metrics} (dockerd's path;
 * the text formats, gzip when asked), and the library's {@code /} and {@code /-/healthy}.
 */
final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;
    private final String address;

    private MetricsServer(HTTPServer server, String address) {
        this.server = server;
        this.address = address;
    }

    static MetricsServer start(String host, int port, PrometheusRegistry registry) {
        String shown = IpAddresses.hostPort(host, port);
        ExecutorService thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("berth-metrics").daemon(true).factory());
        try {
            HTTPServer.Builder builder = HTTPServer.builder().port(port).registry(registry).executorService(thread);
            if (!host.isEmpty()) {
                builder.hostname(host);
            }
            HTTPServer server = builder.buildAndStart();
            String bound = IpAddresses.hostPort(host, server.getPort());
            return new MetricsServer(server, bound);
        } catch (IOException | RuntimeException e) {
            thread.shutdownNow();
            throw new MetricsException("failed to start metrics server: listen tcp " + shown + ": " + reason(e), e);
        }
    }

    /** Go's way of saying it: {@code bind: address already in use}. */
    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (e instanceof java.net.BindException) {
            return "bind: " + lower;
        }
        if (lower.contains("unresolved")) {
            return "no such host";
        }
        return lower;
    }

    /** {@code HOST:PORT} as listened on. */
    String address() {
        return address;
    }

    /** For tests: the port listened on. */
    int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
