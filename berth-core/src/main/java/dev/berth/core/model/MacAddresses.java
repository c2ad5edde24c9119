package dev.berth.core.model;

import dev.berth.core.errors.InvalidParameterException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** Ethernet MAC addresses in their text form {@code 02:42:ac:11:00:02}, as the Engine API shows them. */
public final class MacAddresses {
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":");

    private MacAddresses() {
    }

    /**
     * A random unicast, locally administered MAC, as Docker 28 makes one for every endpoint
     * ({@code byte0 = (r & 0xfe) | 0x02}).
     */
    public static String random(RandomGenerator random) {
        byte[] mac = new byte[6];
        random.nextBytes(mac);
        mac[0] = (byte) ((mac[0] & 0xfe) | 0x02);
        return COLON_HEX.formatHex(mac);
    }

    /** Checks and normalises (lower case) a user's MAC; anything but 6 colon-separated hex bytes is refused. */
    public static String parse(String text) {
        if (text == null || !text.matches("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}")) {
            throw new InvalidParameterException("invalid MAC address " + text);
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** The six bytes of a MAC in text form. */
    public static byte[] bytes(String mac) {
        return COLON_HEX.parseHex(parse(mac));
    }
}
