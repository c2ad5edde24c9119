package dev.berth.cli.command;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * IP addresses and CIDR prefixes read like Go's {@code net.ParseIP}/{@code net.ParseCIDR}
 * (strict dotted quad without leading zeros, IPv6 without zone), and {@code IPNet.Contains}.
 *
 * @param network the prefix's address with host bits cleared
 * @param bits    the prefix length
 */
record IpText(byte[] network, int bits) {

    /** Go's {@code net.ParseIP}: empty when {@code text} is not an address. */
    static Optional<byte[]> parseIp(String text) {
        if (text.indexOf(':') < 0) {
            return parseIpv4(text);
        }
        if (text.indexOf('%') >= 0 || text.indexOf('[') >= 0) {
            return Optional.empty();
        }
        try {
            InetAddress address = Inet6Address.ofLiteral(text);
            return Optional.of(address.getAddress());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0' || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(p);
            if (value > 255) {
                return Optional.empty();
            }
            out[i] = (byte) value;
        }
        return Optional.of(out);
    }

    /**
     * Go's {@code net.ParseCIDR}.
     *
     * @throws IllegalArgumentException {@code invalid CIDR address: <text>}
     */
    static IpText parseCidr(String text) {
        int slash = text.indexOf('/');
        Optional<byte[]> ip = slash < 0 ? Optional.empty() : parseIp(text.substring(0, slash));
        String mask = slash < 0 ? "" : text.substring(slash + 1);
        if (ip.isEmpty() || mask.isEmpty() || mask.length() > 9 || !mask.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(mask) > ip.get().length * 8) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        return new IpText(ip.get(), Integer.parseInt(mask));
    }

    /** The address part of a CIDR text (host bits kept), for {@code subnetMatches}. */
    static byte[] cidrAddress(String text) {
        parseCidr(text);
        return parseIp(text.substring(0, text.indexOf('/'))).orElseThrow();
    }

    /** {@code IPNet.Contains}: same family and the first {@code bits} bits equal; false for null. */
    boolean contains(byte[] ip) {
        if (ip == null || ip.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((network[bit / 8] & mask) != (ip[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
