package dev.berth.kernel.nftables;

import java.util.regex.Pattern;

/**
 * Checks and quotes the pieces of text that go into an nft script, so that a value taken from a
 * request can never end a statement or start another one. Identifiers (table, chain, set names)
 * are plain words; quoted strings (interface names) may hold anything printable except quotes and
 * backslashes.
 */
public final class NftText {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_\\-]{0,255}");
    private static final Pattern QUOTABLE = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}");

    private NftText() {}

    /** Returns {@code name} if it is a valid nft identifier, else throws IllegalArgumentException. */
    public static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid nftables identifier: " + name);
        }
        return name;
    }

    /**
     * {@code value} in double quotes, e.g. an interface name: {@code "br-0123456789ab"}. Rejects
     * whitespace, quotes, backslashes and control characters.
     */
    public static String quoted(String value) {
        if (value == null || !QUOTABLE.matcher(value).matches()) {
            throw new IllegalArgumentException("cannot be used as an nftables string: " + value);
        }
        return '"' + value + '"';
    }

    /** True if {@link #quoted(String)} accepts {@code value}. */
    public static boolean isQuotable(String value) {
        return value != null && QUOTABLE.matcher(value).matches();
    }

    /** A concatenated value, {@code a . b . c}. */
    public static String concat(String... parts) {
        return String.join(" . ", parts);
    }

    /** A map element, {@code key : value}. */
    public static String mapping(String key, String value) {
        return key + " : " + value;
    }

    /** The key of an element: of a map element {@code key : value} the key, a set element as it is. */
    public static String key(String element) {
        int colon = element.indexOf(" : ");
        return colon < 0 ? element : element.substring(0, colon);
    }
}
