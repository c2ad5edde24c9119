package dev.berth.kernel.netlink;

import java.util.HexFormat;

/** Ethernet MAC addresses as 6 bytes, formatted the way {@code ip link} prints them. */
public final class Mac {
    public static final int LENGTH = 6;
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":");

    private Mac() {}

    /** {@code 02:42:ac:11:00:02}; {@code null} for null. Other lengths (e.g. none on lo) print as-is. */
    public static String format(byte[] mac) {
        return mac == null ? null : COLON_HEX.formatHex(mac);
    }

    /** Parses {@code 02:42:ac:11:00:02}. */
    public static byte[] parse(String text) {
        byte[] mac = COLON_HEX.parseHex(text);
        check(mac);
        return mac;
    }

    static void check(byte[] mac) {
        if (mac != null && mac.length != LENGTH) {
            throw new IllegalArgumentException("MAC address must be 6 bytes, got " + mac.length);
        }
    }
}
