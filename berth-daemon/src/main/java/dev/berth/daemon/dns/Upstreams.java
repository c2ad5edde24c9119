package dev.berth.daemon.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The upstream servers: the daemon's {@code dns} setting, else the nameservers of the host's
 * resolv.conf; at most {@value #MAX} (Docker's {@code maxExtDNS}), port 53, never 127.0.0.11
 * (that is us, inside the sandbox).
 */
public final class Upstreams {
    public static final int MAX = 3;
    public static final int PORT = 53;
    private static final InetAddress SELF = InetAddress.ofLiteral("127.0.0.11");

    private Upstreams() {
    }

    /** {@code configured} when not empty, else the nameservers in {@code resolvConf}'s text. */
    public static List<InetSocketAddress> of(List<String> configured, String resolvConf) {
        List<String> literals = configured.isEmpty() ? nameservers(resolvConf) : configured;
        List<InetSocketAddress> out = new ArrayList<>();
        for (String literal : literals) {
            InetAddress address = parse(literal);
            if (address != null && !address.equals(SELF) && out.size() < MAX) {
                out.add(new InetSocketAddress(address, PORT));
            }
        }
        return List.copyOf(out);
    }

    /** The {@code nameserver} values of a resolv.conf text, in order. */
    static List<String> nameservers(String resolvConf) {
        List<String> out = new ArrayList<>();
        for (String line : resolvConf.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                out.add(words[1]);
            }
        }
        return out;
    }

    private static InetAddress parse(String literal) {
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            // a zoned link-local address or junk: not usable as an upstream from here
            return null;
        }
    }
}
