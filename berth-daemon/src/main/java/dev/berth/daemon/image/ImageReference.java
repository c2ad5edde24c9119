package dev.berth.daemon.image;

import dev.berth.core.errors.InvalidParameterException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed image name as moby's {@code reference.ParseNormalizedNamed} reads it: {@code busybox},
 * {@code busybox:latest} and {@code docker.io/library/busybox:latest} are one name. {@link #repository}
 * is the familiar form the store keys tags by ({@code busybox}, {@code user/app},
 * {@code 127.0.0.1:5000/busybox}).
 *
 * @param domain     registry host, {@code docker.io} when none is given
 * @param path       repository path inside the registry, {@code library/busybox}
 * @param tag        the tag, empty when none was given (or only a digest)
 * @param digest     {@code sha256:<hex>}, empty when none was given
 */
public record ImageReference(String domain, String path, String tag, String digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?");
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    /** Parses {@code text}; a malformed name is a 400 with moby's words. */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid();
        }
        if (HEX64.matcher(text).matches()) {
            throw new InvalidParameterException("invalid repository name (" + text
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        String rest = text;
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid();
            }
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid();
            }
        }
        String domain = DEFAULT_DOMAIN;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.toLowerCase(Locale.ROOT).equals(first)) {
                domain = first;
                path = rest.substring(slash + 1);
                if (!DOMAIN.matcher(domain).matches()) {
                    throw invalid();
                }
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        if (!path.toLowerCase(Locale.ROOT).equals(path)) {
            String shown = domain.equals(DEFAULT_DOMAIN) && !path.contains("/") ? "library/" + path : path;
            throw new InvalidParameterException("invalid reference format: repository name (" + shown
                    + ") must be lowercase");
        }
        if (!PATH.matcher(path).matches() || text.length() > 255 + 128 + 72) {
            throw invalid();
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = "library/" + path;
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** Parses a repository given with a separate tag ({@code repo=busybox&tag=1}); the tag may be empty. */
    public static ImageReference parse(String repository, String tag) {
        ImageReference base = parse(repository);
        if (tag == null || tag.isEmpty()) {
            return base;
        }
        if (!base.tag().isEmpty() || !base.digest().isEmpty() || !TAG.matcher(tag).matches()) {
            throw invalid();
        }
        return new ImageReference(base.domain(), base.path(), tag, "");
    }

    /** The familiar repository: without {@code docker.io/} and {@code library/}. */
    public String repository() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return domain + "/" + path;
        }
        return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
    }

    /** {@code repository:tag}, the tag {@code latest} when none was given. */
    public String repoTag() {
        return repository() + ":" + (tag.isEmpty() ? "latest" : tag);
    }

    /** {@code repository@digest}, when a digest was given. */
    public Optional<String> repoDigest() {
        return digest.isEmpty() ? Optional.empty() : Optional.of(repository() + "@" + digest);
    }

    private static InvalidParameterException invalid() {
        return new InvalidParameterException("invalid reference format");
    }
}
