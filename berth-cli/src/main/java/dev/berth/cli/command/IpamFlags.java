package dev.berth.cli.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --subnet/--ip-range/--gateway/--aux-address} grouped into IPAM config entries the way
 * the docker CLI 28.2 does it ({@code consolidateIpam}), with its client-side checks and error
 * texts. The texts are passed on verbatim ({@code 10.0.0.1} stays a "subnet" if given so).
 *
 * @param subnets    the subnets in flag order
 * @param ranges     the ip-ranges
 * @param gateways   the gateways
 * @param auxiliary  the aux addresses by name, in flag order
 */
record IpamFlags(List<String> subnets, List<String> ranges, List<String> gateways, Map<String, String> auxiliary) {

    /**
     * One entry of {@code IPAM.Config}.
     *
     * @param subnet    the subnet as typed
     * @param range     the ip-range, or ""
     * @param gateway   the gateway, or ""
     * @param auxiliary aux addresses by name
     */
    record Entry(String subnet, String range, String gateway, Map<String, String> auxiliary) {
    }

    /**
     * The entries, one per subnet.
     *
     * @throws IllegalArgumentException with docker's message when the flags do not fit together
     */
    List<Entry> consolidate() {
        if (subnets.size() < ranges.size() || subnets.size() < gateways.size()) {
            throw new IllegalArgumentException("every ip-range or gateway must have a corresponding subnet");
        }
        Map<String, String[]> data = new LinkedHashMap<>();
        Map<String, Map<String, String>> aux = new LinkedHashMap<>();
        for (String s : subnets) {
            for (String k : data.keySet()) {
                if (matches(s, k) || matches(k, s)) {
                    throw new IllegalArgumentException("multiple overlapping subnet configuration is not supported");
                }
            }
            data.put(s, new String[] {"", ""});
            aux.put(s, new LinkedHashMap<>());
        }
        assign(ranges, data, 0, "range", "cannot configure multiple ranges (%s, %s) on the same subnet (%s)");
        assign(gateways, data, 1, "gateway", "cannot configure multiple gateways (%s, %s) for the same subnet (%s)");
        auxiliary.forEach((key, address) -> {
            boolean match = false;
            for (String s : subnets) {
                if (matches(s, address)) {
                    aux.get(s).put(key, address);
                    match = true;
                }
            }
            if (!match) {
                throw new IllegalArgumentException("no matching subnet for aux-address " + address);
            }
        });
        List<Entry> entries = new ArrayList<>();
        data.forEach((s, v) -> entries.add(new Entry(s, v[0], v[1], aux.get(s))));
        return entries;
    }

    private void assign(List<String> values, Map<String, String[]> data, int slot, String what, String conflict) {
        for (String value : values) {
            boolean match = false;
            for (String s : subnets) {
                if (!matches(s, value)) {
                    continue;
                }
                String[] entry = data.get(s);
                if (!entry[slot].isEmpty()) {
                    throw new IllegalArgumentException(conflict.formatted(value, entry[slot], s));
                }
                entry[slot] = value;
                match = true;
            }
            if (!match) {
                throw new IllegalArgumentException("no matching subnet for " + what + " " + value);
            }
        }
    }

    /** docker's {@code subnetMatches(subnet, data)}. */
    private static boolean matches(String subnet, String data) {
        IpText net;
        try {
            net = IpText.parseCidr(subnet);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid subnet: " + e.getMessage(), e);
        }
        byte[] ip = data.contains("/") ? IpText.cidrAddress(data) : IpText.parseIp(data).orElse(null);
        return net.contains(ip);
    }
}
