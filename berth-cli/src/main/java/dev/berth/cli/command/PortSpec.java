package dev.berth.cli.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code -p} value, {@code [ip:][hostPort:]containerPort[/tcp|udp]} (an IPv6 host address in
 * brackets), turned into Docker's {@code HostConfig.PortBindings} entry: key
 * {@code containerPort/proto}, value {@code {"HostIp","HostPort"}}. Ranges are not supported yet.
 *
 * @param key      {@code 80/tcp}
 * @param hostIp   empty for all addresses
 * @param hostPort empty for an ephemeral port
 */
record PortSpec(String key, String hostIp, String hostPort) {

    /** Parses one value; throws {@link IllegalArgumentException} with docker-like wording. */
    static PortSpec parse(String value) {
        String spec = value;
        String proto = "tcp";
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            proto = spec.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
            spec = spec.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp")) {
                throw new IllegalArgumentException("invalid proto: " + proto);
            }
        }
        String ip = "";
        if (spec.startsWith("[")) {
            int close = spec.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("invalid IP address: " + spec);
            }
            ip = spec.substring(1, close);
            spec = spec.substring(close + 2);
        }
        String[] parts = spec.split(":", -1);
        if (parts.length > 3 || (parts.length == 3 && !ip.isEmpty())) {
            throw new IllegalArgumentException("invalid port format for --publish: " + value);
        }
        if (parts.length == 3) {
            ip = parts[0];
        }
        String host = parts.length >= 2 ? parts[parts.length - 2] : "";
        String container = parts[parts.length - 1];
        port(container, value, false);
        port(host, value, true);
        return new PortSpec(container + "/" + proto, ip, host);
    }

    private static void port(String text, String value, boolean optional) {
        if (optional && text.isEmpty()) {
            return;
        }
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + (optional ? "hostPort" : "containerPort") + ": " + text
                    + " in " + value);
        }
    }

    /** Several {@code -p} values grouped by container port, in order. */
    static Map<String, List<PortSpec>> group(List<String> values) {
        Map<String, List<PortSpec>> out = new LinkedHashMap<>();
        for (String value : values) {
            PortSpec spec = parse(value);
            out.computeIfAbsent(spec.key(), k -> new ArrayList<>()).add(spec);
        }
        return out;
    }
}
