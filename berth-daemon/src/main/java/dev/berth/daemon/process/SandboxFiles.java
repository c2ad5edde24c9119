package dev.berth.daemon.process;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The text of a sandbox's {@code resolv.conf}, {@code hosts} and {@code hostname}, as Docker writes
 * them for a container on the default bridge: the host's resolver settings without loopback
 * name servers (Google's public ones when none is left), and {@code hosts} with the localhost
 * lines and the sandbox's own addresses.
 */
final class SandboxFiles {
    static final List<String> FALLBACK_NAMESERVERS = List.of("8.8.8.8", "8.8.4.4");

    private SandboxFiles() {
    }

    /** The host's {@code resolv.conf} lines turned into the sandbox's file. */
    static String resolvConf(List<String> hostLines) {
        List<String> nameservers = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String line : hostLines) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 2) {
                continue;
            }
            switch (words[0]) {
                case "nameserver" -> {
                    if (!isLoopback(words[1])) {
                        nameservers.add(words[1]);
                    }
                }
                case "search", "domain", "options" -> other.add(String.join(" ", words));
                default -> {
                    // comments and unknown keywords are not copied
                }
            }
        }
        if (nameservers.isEmpty()) {
            nameservers.addAll(FALLBACK_NAMESERVERS);
        }
        StringBuilder out = new StringBuilder();
        nameservers.forEach(n -> out.append("nameserver ").append(n).append('\n'));
        other.forEach(o -> out.append(o).append('\n'));
        return out.toString();
    }

    /**
     * For a sandbox on a user-defined network: only the embedded resolver, the host's search
     * domains and options, and {@code ndots:0} unless the host set an ndots (Docker's transform).
     * The host's nameservers become the resolver's upstreams, queried from the host namespace.
     */
    static String embeddedResolvConf(List<String> hostLines) {
        StringBuilder out = new StringBuilder("nameserver 127.0.0.11\n");
        boolean ndots = false;
        for (String line : hostLines) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && (words[0].equals("search") || words[0].equals("domain"))) {
                out.append(String.join(" ", words)).append('\n');
            } else if (words.length >= 2 && words[0].equals("options")) {
                ndots |= line.contains("ndots:");
                out.append(String.join(" ", words)).append('\n');
            }
        }
        if (!ndots) {
            out.append("options ndots:0\n");
        }
        return out.toString();
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.ofLiteral(address).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** {@code hosts}: localhost, the IPv6 names, then each address with hostname and name. */
    static String hosts(List<String> addresses, String hostname, String name) {
        Set<String> names = new LinkedHashSet<>(List.of(hostname, name));
        String own = String.join(" ", names);
        StringBuilder out = new StringBuilder()
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::\tip6-localnet\n")
                .append("ff00::\tip6-mcastprefix\n")
                .append("ff02::1\tip6-allnodes\n")
                .append("ff02::2\tip6-allrouters\n");
        addresses.forEach(a -> out.append(a).append('\t').append(own).append('\n'));
        return out.toString();
    }

    static String hostname(String hostname) {
        return hostname + "\n";
    }
}
