package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;

/**
 * An Engine API version such as {@code 1.50}, compared the way moby compares them: dot-separated
 * numbers, missing or non-numeric parts count as 0.
 *
 * @param text the version as the client wrote it in the {@code /v{X.Y}/} prefix
 */
public record ApiVersion(String text) implements Comparable<ApiVersion> {
    /** The oldest version accepted (moby 28's minimum). */
    public static final ApiVersion MIN = new ApiVersion("1.24");
    /** The version announced in {@code Api-Version} and assumed for unversioned paths. */
    public static final ApiVersion MAX = new ApiVersion("1.50");

    /** Whether this version is at least {@code other}, e.g. {@code version.atLeast("1.48")}. */
    public boolean atLeast(String other) {
        return compareTo(new ApiVersion(other)) >= 0;
    }

    /** Throws the 400 moby sends when the version is outside {@link #MIN}..{@link #MAX}. */
    public ApiVersion requireSupported() {
        if (compareTo(MIN) < 0) {
            throw new InvalidParameterException("client version " + text + " is too old. Minimum supported API version is "
                    + MIN.text + ", please upgrade your client to a newer version");
        }
        if (compareTo(MAX) > 0) {
            throw new InvalidParameterException(
                    "client version " + text + " is too new. Maximum supported API version is " + MAX.text);
        }
        return this;
    }

    @Override
    public int compareTo(ApiVersion other) {
        String[] mine = text.split("\\.", -1);
        String[] theirs = other.text.split("\\.", -1);
        for (int i = 0; i < Math.max(mine.length, theirs.length); i++) {
            int byPart = Integer.compare(part(mine, i), part(theirs, i));
            if (byPart != 0) {
                return byPart;
            }
        }
        return 0;
    }

    private static int part(String[] parts, int index) {
        if (index >= parts.length) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[index]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
