package dev.berth.core.service.sandbox;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.PublishedPort;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns {@code HostConfig.PortBindings} into {@link PublishedPort}s: validates every entry, then
 * chooses host ports (ephemeral ones from the kernel's local port range, the lowest free first)
 * so that no two sandboxes hold one protocol and port on overlapping host addresses. Pure: throws
 * before anything is made.
 *
 * <p>Overlap is moby's port allocator rule: equal addresses overlap, and the unspecified address
 * of a family overlaps every address of that family; an empty host IP (the network's default)
 * overlaps everything.
 */
final class PortPlanner {
    private final PortRange ephemeral;

    /** A port some sandbox already publishes, or ({@code daemon}) the daemon's own API listens on. */
    record Held(String holder, PublishedPort port, boolean daemon) {
        Held(String holder, PublishedPort port) {
            this(holder, port, false);
        }
    }

    PortPlanner(PortRange ephemeral) {
        this.ephemeral = ephemeral;
    }

    List<PublishedPort> plan(List<PortRequest> requests, List<Held> taken) {
        List<Parsed> parsed = requests.stream().map(PortPlanner::parse).toList();
        List<Held> held = new ArrayList<>(taken);
        List<PublishedPort> out = new ArrayList<>();
        for (Parsed p : parsed) {
            PublishedPort chosen = choose(p, held);
            held.add(new Held("", chosen));
            out.add(chosen);
        }
        return out;
    }

    private record Parsed(String protocol, int sandboxPort, String hostIp, int first, int last, boolean ephemeral) {
    }

    private static Parsed parse(PortRequest r) {
        String[] portProto = r.port().split("/", -1);
        if (portProto.length > 2) {
            throw invalid(r.port());
        }
        String protocol = portProto.length == 2 ? portProto[1].toLowerCase(java.util.Locale.ROOT) : "tcp";
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new InvalidParameterException("invalid port specification: \"" + r.port()
                    + "\": protocol " + protocol + " is not supported (tcp or udp)");
        }
        int sandboxPort = number(portProto[0], r.port());
        String hostIp = hostIp(r.hostIp());
        String hostPort = r.hostPort().trim();
        if (hostPort.isEmpty() || hostPort.equals("0")) {
            return new Parsed(protocol, sandboxPort, hostIp, 0, 0, true);
        }
        int dash = hostPort.indexOf('-');
        int first = number(dash < 0 ? hostPort : hostPort.substring(0, dash), hostPort);
        int last = dash < 0 ? first : number(hostPort.substring(dash + 1), hostPort);
        if (last < first) {
            throw invalid(hostPort);
        }
        return new Parsed(protocol, sandboxPort, hostIp, first, last, false);
    }

    private static String hostIp(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty()) {
            return "";
        }
        try {
            return IpAddresses.format(IpAddresses.parse(t));
        } catch (InvalidParameterException e) {
            throw new InvalidParameterException("invalid host IP address \"" + text + "\" in port bindings", e);
        }
    }

    private static int number(String text, String spec) {
        if (!text.matches("[0-9]{1,5}")) {
            throw invalid(spec);
        }
        int n = Integer.parseInt(text);
        if (n < 1 || n > 65535) {
            throw new InvalidParameterException("invalid port specification: \"" + spec
                    + "\": port must be 1..65535");
        }
        return n;
    }

    private static InvalidParameterException invalid(String spec) {
        return new InvalidParameterException("invalid port specification: \"" + spec + "\"");
    }

    private PublishedPort choose(Parsed p, List<Held> held) {
        int first = p.ephemeral() ? ephemeral.first() : p.first();
        int last = p.ephemeral() ? ephemeral.last() : p.last();
        Held blocker = null;
        for (int port = first; port <= last; port++) {
            PublishedPort candidate = new PublishedPort(p.protocol(), p.sandboxPort(), p.hostIp(), port);
            Optional<Held> clash = held.stream().filter(h -> overlaps(h.port(), candidate)).findFirst();
            if (clash.isEmpty()) {
                return candidate;
            }
            blocker = blocker == null ? clash.get() : blocker;
        }
        if (p.ephemeral()) {
            throw new ConflictException("no free host port for " + p.sandboxPort() + "/" + p.protocol()
                    + " in the ephemeral range " + first + "-" + last);
        }
        String ip = p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
        String where = ip.contains(":") ? "[" + ip + "]" : ip;
        String ports = first == last ? Integer.toString(first) : first + "-" + last;
        if (blocker.daemon()) {
            throw new ConflictException("Bind for " + where + ":" + ports + " failed: port is already allocated"
                    + " (the daemon's API listens on " + hostAndPort(blocker.port()) + ")");
        }
        String holder = blocker.holder().isEmpty() ? "this container" : "container \"" + blocker.holder() + "\"";
        throw new ConflictException("Bind for " + where + ":" + ports + " failed: port is already allocated"
                + " (published by " + holder + " as " + describe(blocker.port()) + ")");
    }

    private static String describe(PublishedPort p) {
        return hostAndPort(p) + "->" + p.key();
    }

    private static String hostAndPort(PublishedPort p) {
        String ip = p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
        return IpAddresses.hostPort(ip, p.hostPort());
    }

    static boolean overlaps(PublishedPort a, PublishedPort b) {
        if (!a.protocol().equals(b.protocol()) || a.hostPort() != b.hostPort()) {
            return false;
        }
        if (a.hostIp().isEmpty() || b.hostIp().isEmpty() || a.hostIp().equals(b.hostIp())) {
            return true;
        }
        InetAddress x = IpAddresses.parse(a.hostIp());
        InetAddress y = IpAddresses.parse(b.hostIp());
        boolean sameFamily = (x instanceof Inet4Address) == (y instanceof Inet4Address);
        return sameFamily && (x.isAnyLocalAddress() || y.isAnyLocalAddress());
    }
}
