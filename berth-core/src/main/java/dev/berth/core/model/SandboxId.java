package dev.berth.core.model;

import dev.berth.core.errors.InvalidParameterException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** A sandbox (container) id: 64 lowercase hex characters, shown shortened to its first 12. */
public record SandboxId(String value) {
    public static final int SHORT_LENGTH = 12;

    public SandboxId {
        if (value == null || !value.matches("[0-9a-f]{64}")) {
            throw new InvalidParameterException("invalid container id: " + value);
        }
    }

    /** A fresh random id; like moby, one whose short form is all digits is rolled again. */
    public static SandboxId random(RandomGenerator random) {
        byte[] bytes = new byte[32];
        while (true) {
            random.nextBytes(bytes);
            String hex = HexFormat.of().formatHex(bytes);
            if (!hex.substring(0, SHORT_LENGTH).matches("[0-9]+")) {
                return new SandboxId(hex);
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
