package dev.berth.daemon.config;

import dev.berth.core.model.IpAddresses;
import java.util.Optional;

/**
 * {@code metrics-addr}: the TCP address the Prometheus endpoint listens on, {@code HOST:PORT} as
 * Go's {@code net.Listen} takes it (dockerd's {@code --metrics-addr}): an IP address or a name,
 * an IPv6 address in brackets ({@code [::1]:9323}), or no host for every address ({@code :9323}).
 *
 * @param host the host as given, without brackets; empty means every address
 * @param port 0 to 65535 (0: a free port the kernel picks)
 */
public record MetricsAddress(String host, int port) {
    /** The option's name in daemon.json and as a flag. */
    public static final String KEY = "metrics-addr";

    /** {@code text} as an address, or why it is none (Go's words where Go has them). */
    static Parsed parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return Parsed.bad("missing port in address");
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                return Parsed.bad("missing ']' in address");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            return Parsed.bad("too many colons in address");
        }
        if (host.contains("[") || host.contains("]")) {
            return Parsed.bad("unexpected '[' or ']' in address");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            return Parsed.bad("invalid port \"" + port + "\"");
        }
        return new Parsed(Optional.of(new MetricsAddress(host, Integer.parseInt(port))), "");
    }

    /** An address, or the reason there is none. */
    record Parsed(Optional<MetricsAddress> address, String problem) {
        static Parsed bad(String problem) {
            return new Parsed(Optional.empty(), problem);
        }
    }

    /** {@code HOST:PORT}, the host in brackets when it is an IPv6 address. */
    @Override
    public String toString() {
        return IpAddresses.hostPort(host, port);
    }
}
