package dev.berth.kernel.netlink;

import java.nio.charset.StandardCharsets;

/**
 * Interface-name rules of the kernel's dev_valid_name(), checked before anything is sent, plus two
 * of its own: no '%' (the kernel takes a name with '%' as a format, so "a%d" creates "a0", "a1"...
 * and the name asked for never exists), and no unpaired UTF-16 surrogate (Java would send it as
 * '?', naming a different device than the one asked for).
 */
final class IfNames {
    /** IFNAMSIZ is 16 including the NUL. */
    static final int MAX_LENGTH = 15;

    private IfNames() {}

    static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name is empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new IllegalArgumentException("interface name longer than 15 bytes: " + name);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid interface name: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || c == '%' || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("interface name contains '" + c + "': " + name);
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(++i)))) {
                throw new IllegalArgumentException("interface name is not valid UTF-16: " + name);
            }
        }
        return name;
    }
}
