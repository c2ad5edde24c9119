package dev.berth.core.model;

import dev.berth.core.errors.InvalidParameterException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Strict parsing of IP address literals: never a name lookup, never a shorthand IPv4 form. */
public final class IpAddresses {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final String IPV4 = OCTET + "(\\." + OCTET + "){3}";

    private IpAddresses() {
    }

    /** Parses a v4 dotted quad or a v6 literal (no brackets, no zone); throws on anything else. */
    public static InetAddress parse(String text) {
        if (text != null && text.matches(IPV4)) {
            return Inet4Address.ofLiteral(text);
        }
        if (text != null && text.contains(":") && !text.contains("%") && !text.contains("[")) {
            try {
                InetAddress address = Inet6Address.ofLiteral(text);
                if (address instanceof Inet6Address) {
                    return address;
                }
            } catch (IllegalArgumentException e) {
                // falls through to the error below
            }
        }
        throw new InvalidParameterException("invalid IP address: " + text);
    }

    /** {@code host:port}, an IPv6 host in brackets ({@code [::1]:2376}), as Go's net.JoinHostPort writes it. */
    public static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The canonical text form: dotted quad, or RFC 5952 compressed lowercase IPv6. */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        return compressV6(address.getAddress());
    }

    private static String compressV6(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            out.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                out.append(':');
            }
        }
        return out.toString();
    }
}
