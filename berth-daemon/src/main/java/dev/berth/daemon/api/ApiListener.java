package dev.berth.daemon.api;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.PublishedPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the API listens: one {@code -H} of dockerd, a Unix socket or a TCP address. */
public sealed interface ApiListener {

    /**
     * The host ports the TCP listeners among {@code listeners} hold, as published ports on their
     * addresses ({@code localhost} resolved), for {@code -p} to refuse as dockerd reserves them.
     * A name that does not resolve is left out (the listener will fail to bind anyway).
     */
    static List<PublishedPort> hostPorts(List<ApiListener> listeners) {
        List<PublishedPort> out = new ArrayList<>();
        for (ApiListener listener : listeners) {
            if (listener instanceof Tcp tcp) {
                try {
                    String ip = IpAddresses.format(InetAddress.getByName(tcp.host()));
                    out.add(new PublishedPort("tcp", tcp.port(), ip, tcp.port()));
                } catch (UnknownHostException e) {
                    // not reserved: binding it fails and stops start-up
                }
            }
        }
        return List.copyOf(out);
    }

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
            return "tcp://" + IpAddresses.hostPort(host, port);
        }
    }
}
