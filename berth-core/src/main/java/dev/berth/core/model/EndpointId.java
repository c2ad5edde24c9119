package dev.berth.core.model;

import dev.berth.core.errors.InvalidParameterException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** An endpoint id: 64 lowercase hex characters, shown shortened to its first 12. */
public record EndpointId(String value) {
    public static final int SHORT_LENGTH = 12;

    public EndpointId {
        if (value == null || !value.matches("[0-9a-f]{64}")) {
            throw new InvalidParameterException("invalid endpoint id: " + value);
        }
    }

    public static EndpointId random(RandomGenerator random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new EndpointId(HexFormat.of().formatHex(bytes));
    }

    public String shortId() {
        return value.substring(0, SHORT_LENGTH);
    }

    @Override
    public String toString() {
        return value;
    }
}
