package dev.berth.core.model;

import dev.berth.core.errors.InvalidParameterException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address with a prefix length, IPv4 or IPv6: either a subnet ({@code 172.17.0.0/16}) or an
 * interface address ({@code 172.17.0.1/16}). Arithmetic is 128-bit so both families share it.
 */
public record IpPrefix(InetAddress address, int length) implements Comparable<IpPrefix> {

    public IpPrefix {
        int bits = address.getAddress().length * 8;
        if (length < 0 || length > bits) {
            throw new InvalidParameterException("invalid prefix length " + length + " for " + address);
        }
    }

    /** The unique local /48 (RFC 4193): {@code fd}, then the low 40 bits of {@code globalId} as the global id. */
    public static IpPrefix uniqueLocal48(long globalId) {
        byte[] address = new byte[16];
        address[0] = (byte) 0xfd;
        for (int i = 0; i < 5; i++) {
            address[1 + i] = (byte) (globalId >>> (8 * (4 - i)));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(address), 48);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    /** Parses {@code addr/len}; the address keeps any host bits (see {@link #masked()}). */
    public static IpPrefix parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,3}")) {
            throw new InvalidParameterException("invalid CIDR address: " + text);
        }
        InetAddress address;
        try {
            address = IpAddresses.parse(text.substring(0, slash));
        } catch (InvalidParameterException e) {
            throw new InvalidParameterException("invalid CIDR address: " + text);
        }
        int length = Integer.parseInt(text.substring(slash + 1));
        if (length > address.getAddress().length * 8) {
            throw new InvalidParameterException("invalid CIDR address: " + text);
        }
        return new IpPrefix(address, length);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public int bits() {
        return address.getAddress().length * 8;
    }

    /** The subnet this address lies in: host bits cleared. */
    public IpPrefix masked() {
        return new IpPrefix(toAddress(toNumber(address).andNot(hostMask())), length);
    }

    public boolean hasHostBits() {
        return !masked().address.equals(address);
    }

    public boolean contains(InetAddress other) {
        if (other.getAddress().length != address.getAddress().length) {
            return false;
        }
        BigInteger net = toNumber(address).andNot(hostMask());
        return toNumber(other).andNot(hostMask()).equals(net);
    }

    /** True when the two prefixes share at least one address. */
    public boolean overlaps(IpPrefix other) {
        if (other.bits() != bits()) {
            return false;
        }
        IpPrefix wider = length <= other.length ? this : other;
        IpPrefix narrower = wider == this ? other : this;
        return wider.contains(narrower.address);
    }

    /**
     * True when {@code inner} lies inside this prefix and is longer: a proper slice of it
     * ({@code 2001:db8::/64} properly contains {@code 2001:db8::1:0:0:0/80}, not itself).
     */
    public boolean properlyContains(IpPrefix inner) {
        return inner.bits() == bits() && length < inner.length && contains(inner.address);
    }

    /** The address {@code offset} places after the subnet's first address. */
    public InetAddress addressAt(BigInteger offset) {
        return toAddress(toNumber(masked().address).add(offset));
    }

    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(bits() - length);
    }

    private BigInteger hostMask() {
        return BigInteger.ONE.shiftLeft(bits() - length).subtract(BigInteger.ONE);
    }

    static BigInteger toNumber(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    private InetAddress toAddress(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[address.getAddress().length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int compareTo(IpPrefix o) {
        int byFamily = Integer.compare(bits(), o.bits());
        if (byFamily != 0) {
            return byFamily;
        }
        int byAddress = toNumber(address).compareTo(toNumber(o.address));
        return byAddress != 0 ? byAddress : Integer.compare(length, o.length);
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + length;
    }
}
