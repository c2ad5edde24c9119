package dev.berth.daemon.api;

import java.nio.file.Path;

/** Where the API listens: one {@code -H} of dockerd, a Unix socket or a TCP address. */
public sealed interface ApiListener {

    /** {@code unix:///path}: mode 0660 in the socket group. */
    record Unix(Path path) implements ApiListener {
        @Override
        public String toString() {
            return "unix://" + path;
        }
    }

    /** {@code tcp://host:port}: with TLS when the daemon has it ({@link ApiTls}). */
    record Tcp(String host, int port) implements ApiListener {
        public Tcp {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        @Override
        public String toString() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
