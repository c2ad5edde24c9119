package dev.berth.daemon.image.registry;

import dev.berth.core.errors.InvalidParameterException;
import java.util.Locale;

/**
 * An image's platform as an index entry names it ({@code os}, {@code architecture}, optional
 * {@code variant}), and the one a pull wants: this host's ({@code linux/amd64} here) unless the
 * request gives {@code platform=os/arch[/variant]}.
 *
 * @param os           {@code linux}
 * @param architecture GOARCH: {@code amd64}, {@code arm64}, ...
 * @param variant      {@code v8}, or {@code ""}
 */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        variant = variant == null ? "" : variant;
    }

    /** The platform of this JVM's host in Go's words. */
    public static Platform host() {
        String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
        String goArch = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
        return new Platform("linux", goArch, "");
    }

    /** Parses {@code os/arch[/variant]} (the API's {@code platform} parameter); empty means {@link #host()}. */
    public static Platform parse(String text) {
        if (text == null || text.isBlank()) {
            return host();
        }
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 1 || parts.length > 3 || parts[0].isEmpty()) {
            throw new InvalidParameterException("\"" + text + "\": unknown operating system or architecture: invalid argument");
        }
        if (parts.length == 1) {
            return new Platform(parts[0], host().architecture(), "");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
    }

    /** Whether an index entry of {@code candidate} serves this platform (variant only when both name one). */
    public boolean matches(Platform candidate) {
        return os.equals(candidate.os()) && architecture.equals(candidate.architecture())
                && (variant.isEmpty() || candidate.variant().isEmpty() || variant.equals(candidate.variant()));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
