package dev.berth.it.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the detail of a hit (a netlink action, a sysctl key, a path, a store action, a Jetty
 * request) into the stable part of a point name, or {@code null} for a read that changes nothing.
 */
final class PointNames {
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private PointNames() {
    }

    static String what(String kind, Object detail) {
        return what(kind, detail, null);
    }

    /**
     * For netlink, {@code extra} is the request ({@code NlWriter}): a GET that follows a change
     * under the same action (the check that a created link exists) is named {@code check after
     * <action>}, since a kill there is a kill right after the change; a plain GET is no point.
     */
    static String what(String kind, Object detail, Object extra) {
        return switch (kind) {
            case "netlink" -> {
                String action = String.valueOf(detail);
                String where = action.contains(" in ") ? " (other netns)" : "";
                if (action.startsWith("get ") || action.startsWith("list ")) {
                    yield null;
                }
                yield (isGet(extra) ? "check after " : "") + words(action) + where;
            }
            case "store" -> words(String.valueOf(detail));
            case "sysctl", "netns-create", "mount", "umount", "unlink" -> path(String.valueOf(detail));
            case "api-reply" -> request(detail);
            default -> "";
        };
    }

    /** rtnetlink GET requests have type 18, 22, 26, 30...: type % 4 == 2 (RTM_NEWxxx is 16 + 4k). */
    private static boolean isGet(Object request) {
        if (request == null) {
            return false;
        }
        try {
            java.lang.reflect.Field buf = request.getClass().getDeclaredField("buf");
            buf.setAccessible(true);
            int type = ((java.nio.ByteBuffer) buf.get(request)).getShort(4) & 0xffff;
            return type >= 16 && type % 4 == 2;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The leading words of an action, up to the first that names a particular object. */
    static String words(String action) {
        List<String> kept = new ArrayList<>();
        for (String word : action.split(" ")) {
            if (word.isEmpty() || word.equals("in") || word.equals("to") || word.equals("from")
                    || word.chars().anyMatch(c -> Character.isDigit(c) || c == '/' || c == '#' || c == ':' || c == '.')) {
                break;
            }
            kept.add(word);
        }
        return String.join(" ", kept);
    }

    /** A path or sysctl key with every component that carries a digit (ids, device names) as {@code *}. */
    static String path(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("[/.]")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            boolean named = part.chars().anyMatch(Character::isDigit) && !part.matches("ipv[46]");
            out.append(named ? "*" : part);
        }
        return out.toString();
    }

    /** A thread name without its counters and ids ({@code netns-4cd2c4acbddb} is {@code netns-*}). */
    static String stable(String name) {
        return name.replaceAll("[0-9a-f]{6,}|\\d+", "*");
    }

    static String oneLine(Object detail) {
        String text = String.valueOf(detail).replace('\n', ' ').replace('\t', ' ');
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }

    /** {@code POST /networks/create} for a Jetty request; null for a read. Reflection: Jetty is the daemon's. */
    private static String request(Object request) {
        try {
            ClassLoader loader = request.getClass().getClassLoader();
            Class<?> type = Class.forName("org.eclipse.jetty.server.Request", false, loader);
            String method = (String) type.getMethod("getMethod").invoke(request);
            if (READ_METHODS.contains(method)) {
                return null;
            }
            Object uri = type.getMethod("getHttpURI").invoke(request);
            String path = (String) Class.forName("org.eclipse.jetty.http.HttpURI", false, loader)
                    .getMethod("getPath").invoke(uri);
            return method + " " + path.replaceAll("^/v[0-9.]+", "").replaceAll("/[^/]*[0-9][^/]*", "/*");
        } catch (ReflectiveOperationException | ClassCastException e) {
            return "? " + e;
        }
    }
}
