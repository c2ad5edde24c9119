package dev.berth.core.ipam;

import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The addresses of one subnet: which are taken, and the lowest free one in the allocatable range
 * (the ip-range if given, else the subnet). IPv4 keeps the network and broadcast addresses back
 * (except in a /31 or /32); IPv6 keeps back only the subnet-router anycast address. Not
 * thread-safe: the owner serialises access.
 */
public final class AddressPool {
    private final IpPrefix subnet;
    private final IpPrefix range;
    private final NavigableSet<BigInteger> taken = new TreeSet<>();
    /** No address below this offset in the range is free: where the search for the lowest free one starts. */
    private BigInteger searchFrom;

    public AddressPool(IpPrefix subnet, Optional<IpPrefix> range) {
        this.subnet = subnet.masked();
        this.range = range.map(IpPrefix::masked).orElse(this.subnet);
        this.searchFrom = offset(this.range.address());
        if (this.subnet.isIpv4()) {
            if (this.subnet.length() < 31) {
                taken.add(BigInteger.ZERO);
                taken.add(this.subnet.size().subtract(BigInteger.ONE));
            }
        } else if (this.subnet.length() < 128) {
            taken.add(BigInteger.ZERO);
        }
    }

    public IpPrefix subnet() {
        return subnet;
    }

    /**
     * Takes the lowest free address of the range. The search starts where the last one ended (or
     * at the lowest address released since), so it does not walk every taken address again.
     */
    public InetAddress allocate() {
        BigInteger first = offset(range.address());
        BigInteger last = first.add(range.size()).subtract(BigInteger.ONE);
        BigInteger candidate = searchFrom.max(first);
        for (BigInteger used : taken.tailSet(candidate, true)) {
            if (used.compareTo(candidate) > 0) {
                break;
            }
            candidate = used.add(BigInteger.ONE);
        }
        if (candidate.compareTo(last) > 0) {
            throw new UnavailableException("no available addresses on this pool");
        }
        taken.add(candidate);
        searchFrom = candidate.add(BigInteger.ONE);
        return subnet.addressAt(candidate);
    }

    /** Takes one given address; it must lie in the subnet (not necessarily in the range). */
    public void reserve(InetAddress address) {
        if (!subnet.contains(address)) {
            throw new InvalidParameterException("requested address " + address.getHostAddress()
                    + " is out of range " + subnet);
        }
        if (!taken.add(offset(address))) {
            throw new ForbiddenException("Address already in use");
        }
    }

    /** Like {@link #reserve} but an address already taken is fine (aux addresses, replay). */
    public void reserveQuietly(InetAddress address) {
        if (subnet.contains(address)) {
            taken.add(offset(address));
        }
    }

    public void release(InetAddress address) {
        if (subnet.contains(address)) {
            BigInteger at = offset(address);
            if (taken.remove(at) && at.compareTo(searchFrom) < 0) {
                searchFrom = at;
            }
        }
    }

    public boolean isTaken(InetAddress address) {
        return subnet.contains(address) && taken.contains(offset(address));
    }

    private BigInteger offset(InetAddress address) {
        return new BigInteger(1, address.getAddress()).subtract(new BigInteger(1, subnet.address().getAddress()));
    }
}
