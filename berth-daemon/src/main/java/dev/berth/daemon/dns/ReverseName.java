package dev.berth.daemon.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Reads the address out of an {@code in-addr.arpa} or {@code ip6.arpa} name (lower-case, no final dot). */
final class ReverseName {
    private static final String V4 = ".in-addr.arpa";
    private static final String V6 = ".ip6.arpa";

    private ReverseName() {
    }

    static boolean isReverse(String name) {
        return name.endsWith(V4) || name.endsWith(V6);
    }

    static Optional<InetAddress> parse(String name) {
        if (name.endsWith(V4)) {
            return parse(name.substring(0, name.length() - V4.length()), 4, 10, 255);
        }
        if (name.endsWith(V6)) {
            return parse(name.substring(0, name.length() - V6.length()), 32, 16, 15);
        }
        return Optional.empty();
    }

    private static Optional<InetAddress> parse(String labels, int count, int radix, int max) {
        String[] parts = labels.split("\\.", -1);
        if (parts.length != count) {
            return Optional.empty();
        }
        byte[] bytes = new byte[count == 4 ? 4 : 16];
        for (int i = 0; i < count; i++) {
            String p = parts[count - 1 - i];
            if (p.isEmpty() || Character.digit(p.charAt(0), radix) < 0 || p.length() > 3 || (radix == 16 && p.length() != 1)) {
                return Optional.empty();
            }
            int v;
            try {
                v = Integer.parseInt(p, radix);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (v < 0 || v > max || (radix == 10 && p.length() > 1 && p.charAt(0) == '0')) {
                return Optional.empty();
            }
            if (count == 4) {
                bytes[i] = (byte) v;
            } else {
                bytes[i / 2] |= (byte) (i % 2 == 0 ? v << 4 : v);
            }
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
