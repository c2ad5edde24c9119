package dev.berth.cli.http;

import dev.berth.cli.format.GoJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Query strings as the docker client builds them: Go's {@code url.Values.Encode} (keys sorted,
 * {@code QueryEscape}: space as {@code +}, only {@code A-Za-z0-9-_.~} unescaped) and the
 * {@code filters} parameter ({@code {"key":{"value":true}}}, keys sorted, HTML-escaped like
 * {@code json.Marshal}).
 */
public final class Query {

    private Query() {
    }

    /** {@code url.Values.Encode()}; empty map gives {@code ""}, otherwise {@code ?k=v&...}. */
    public static String encode(Map<String, List<String>> values) {
        if (values.isEmpty()) {
            return "";
        }
        StringJoiner out = new StringJoiner("&", "?", "");
        new TreeMap<>(values).forEach((k, vs) -> vs.forEach(v -> out.add(escape(k) + "=" + escape(v))));
        return out.toString();
    }

    /** {@code url.QueryEscape(s)}. */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * {@code filters.ToJSON}: {@code {"driver":{"bridge":true},"name":{"a":true,"b":true}}}, or
     * {@code null} when there are no filters (the parameter is then left out).
     */
    public static String filtersJson(SortedMap<String, TreeSet<String>> filters) {
        if (filters.isEmpty()) {
            return null;
        }
        StringJoiner out = new StringJoiner(",", "{", "}");
        filters.forEach((key, values) -> {
            StringJoiner inner = new StringJoiner(",", "{", "}");
            values.forEach(v -> inner.add(GoJson.quote(v, true) + ":true"));
            out.add(GoJson.quote(key, true) + ":" + inner);
        });
        return out.toString();
    }
}
