package dev.berth.core.model;

import dev.berth.core.errors.InvalidParameterException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** A network id: 64 lowercase hex characters, shown shortened to its first 12. */
public record NetworkId(String value) {
    public static final int SHORT_LENGTH = 12;

    public NetworkId {
        if (value == null || !value.matches("[0-9a-f]{64}")) {
            throw new InvalidParameterException("invalid network id: " + value);
        }
    }

    /**
     * A fresh random id. Like moby, an id whose short form is all digits is rolled again, so a
     * short id can never be mistaken for a number.
     */
    public static NetworkId random(RandomGenerator random) {
        byte[] bytes = new byte[32];
        while (true) {
            random.nextBytes(bytes);
            String hex = HexFormat.of().formatHex(bytes);
            if (!hex.substring(0, SHORT_LENGTH).matches("[0-9]+")) {
                return new NetworkId(hex);
            }
        }
    }

    public String shortId() {
        return value.substring(0, SHORT_LENGTH);
    }

    @Override
    public String toString() {
        return value;
    }
}
