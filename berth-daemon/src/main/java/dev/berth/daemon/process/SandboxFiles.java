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
 * lines and the sandbox's own addresses; and the edits of a connect or disconnect.
 */
final class SandboxFiles {
    static final List<String> FALLBACK_NAMESERVERS = List.of("8.8.8.8", "8.8.4.4");
    static final String EMBEDDED_RESOLVER = "127.0.0.11";

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
        StringBuilder out = new StringBuilder("nameserver " + EMBEDDED_RESOLVER + "\n");
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

    /** The fixed lines of {@code hosts}: localhost and the IPv6 names. */
    private static final List<String> HOSTS_HEAD = List.of("127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback", "fe00::\tip6-localnet", "ff00::\tip6-mcastprefix",
            "ff02::1\tip6-allnodes", "ff02::2\tip6-allrouters");

    /** The addresses of {@link #HOSTS_HEAD}: never taken for the sandbox's own entries. */
    private static final Set<String> HEAD_ADDRESSES = Set.of("127.0.0.1", "::1", "fe00::", "ff00::", "ff02::1",
            "ff02::2");

    /** {@code hosts}: localhost, the IPv6 names, then each address with hostname and name. */
    static String hosts(List<String> addresses, String hostname, String name) {
        String own = ownNames(hostname, name);
        StringBuilder out = new StringBuilder();
        HOSTS_HEAD.forEach(line -> out.append(line).append('\n'));
        addresses.forEach(a -> out.append(a).append('\t').append(own).append('\n'));
        return out.toString();
    }

    /** The names of the sandbox's own entries: hostname and name, once each. */
    private static String ownNames(String hostname, String name) {
        return String.join(" ", new LinkedHashSet<>(List.of(hostname, name)));
    }

    /**
     * {@code current} (a {@code hosts} file) with the sandbox's own entries made exactly
     * {@code addresses}, as Docker's add and delete of entries on connect and disconnect: an own
     * entry (own names, not a localhost line) whose address is gone is dropped, a new address is
     * appended, every other line stays where it is.
     */
    static String withOwnAddresses(String current, List<String> addresses, String hostname, String name) {
        String own = ownNames(hostname, name);
        Set<String> missing = new LinkedHashSet<>(addresses);
        StringBuilder out = new StringBuilder();
        for (String line : current.lines().toList()) {
            String[] words = line.strip().split("\\s+", 2);
            boolean ownEntry = words.length == 2 && !words[0].startsWith("#") && !HEAD_ADDRESSES.contains(words[0])
                    && String.join(" ", words[1].strip().split("\\s+")).equals(own);
            if (ownEntry && !missing.remove(words[0])) {
                continue;
            }
            out.append(line).append('\n');
        }
        missing.forEach(a -> out.append(a).append('\t').append(own).append('\n'));
        return out.toString();
    }

    /** Whether a {@code resolv.conf} names the embedded resolver. */
    static boolean namesEmbeddedResolver(String resolvConf) {
        return resolvConf.lines().map(l -> l.strip().split("\\s+"))
                .anyMatch(w -> w.length >= 2 && w[0].equals("nameserver") && w[1].equals(EMBEDDED_RESOLVER));
    }

    static String hostname(String hostname) {
        return hostname + "\n";
    }
}
