package dev.berth.core.service.network;

import dev.berth.core.errors.InvalidParameterException;
import java.util.Collection;
import java.util.Map;

/**
 * Upper bounds on what one request may ask for, so a client cannot make the daemon keep, store and
 * return megabytes of names or labels. moby has none of these; the bounds are far above anything
 * the docker CLI produces in practice. Messages give sizes, never the oversized value itself.
 */
public final class InputLimits {
    /** Network and container names, in characters. */
    private static final int MAX_NAME = 255;
    /** A hostname: the kernel's {@code HOST_NAME_MAX}; {@code sethostname} refuses longer ones. */
    private static final int MAX_HOSTNAME = 64;
    /** Entries of one map or list: labels, driver options, IPAM options, auxiliary addresses, aliases. */
    private static final int MAX_ENTRIES = 256;
    /** A label or option key, in characters. */
    private static final int MAX_KEY = 1024;
    /** A label or option value (and an alias), in characters. */
    private static final int MAX_VALUE = 4096;

    private InputLimits() {
    }

    /** {@code what} names the thing, e.g. {@code "network name"}. */
    public static void name(String what, String name) {
        if (name.length() > MAX_NAME) {
            throw new InvalidParameterException("invalid " + what + ": it is " + name.length()
                    + " characters long, at most " + MAX_NAME + " are allowed");
        }
    }

    public static void hostname(String hostname) {
        if (hostname.length() > MAX_HOSTNAME) {
            throw new InvalidParameterException("invalid hostname: it is " + hostname.length()
                    + " characters long, at most " + MAX_HOSTNAME + " are allowed");
        }
    }

    /** A sandbox create request's name, hostname and number of networks (aliases are checked per endpoint). */
    public static void sandbox(String name, String hostname, int networks) {
        name("container name", name);
        hostname(hostname);
        count("networks", networks);
    }

    /** {@code what} is the plural, e.g. {@code "labels"}; a {@code null} map is fine. */
    public static void entries(String what, Map<String, String> map) {
        if (map == null) {
            return;
        }
        count(what, map.size());
        map.forEach((key, value) -> {
            if (key.length() > MAX_KEY) {
                throw new InvalidParameterException("invalid " + what + ": a key is " + key.length()
                        + " characters long, at most " + MAX_KEY + " are allowed");
            }
            if (value != null && value.length() > MAX_VALUE) {
                throw new InvalidParameterException("invalid " + what + ": the value of " + key + " is "
                        + value.length() + " characters long, at most " + MAX_VALUE + " are allowed");
            }
        });
    }

    /** {@code what} is the plural, e.g. {@code "aliases"}. */
    public static void values(String what, Collection<String> values) {
        count(what, values.size());
        for (String value : values) {
            if (value.length() > MAX_VALUE) {
                throw new InvalidParameterException("invalid " + what + ": one is " + value.length()
                        + " characters long, at most " + MAX_VALUE + " are allowed");
            }
        }
    }

    private static void count(String what, int size) {
        if (size > MAX_ENTRIES) {
            throw new InvalidParameterException("invalid " + what + ": " + size + " given, at most " + MAX_ENTRIES
                    + " are allowed");
        }
    }
}
