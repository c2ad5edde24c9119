package dev.berth.core.ipam;

import dev.berth.core.model.IpPrefix;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks a subnet for a network that gave none: Docker 27+'s first fit. Pools are walked in order;
 * inside each, the lowest size-aligned subnet that overlaps nothing taken wins, so a freed subnet
 * is reused at once. Cost grows with the number of taken prefixes, not with the pool's size, so a
 * /48 cut into /64s is as cheap as a /16.
 */
public final class SubnetAllocator {
    private SubnetAllocator() {
    }

    /**
     * @param pools the pools of one family, in order of preference
     * @param taken subnets in use and prefixes reserved on the host (any family; others ignored)
     */
    public static Optional<IpPrefix> lowestFree(List<PoolSpec> pools, Collection<IpPrefix> taken) {
        for (PoolSpec pool : pools) {
            List<IpPrefix> sameFamily = taken.stream().filter(t -> t.bits() == pool.base().bits())
                    .sorted(Comparator.naturalOrder()).toList();
            Optional<IpPrefix> found = inPool(pool, sameFamily);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<IpPrefix> inPool(PoolSpec pool, List<IpPrefix> taken) {
        IpPrefix base = pool.base();
        BigInteger step = BigInteger.ONE.shiftLeft(base.bits() - pool.size());
        BigInteger end = start(base).add(base.size());
        BigInteger cursor = start(base);
        while (cursor.compareTo(end) < 0) {
            IpPrefix candidate = new IpPrefix(base.addressAt(cursor.subtract(start(base))), pool.size());
            Optional<IpPrefix> clash = taken.stream().filter(candidate::overlaps).findFirst();
            if (clash.isEmpty()) {
                return Optional.of(candidate);
            }
            BigInteger clashEnd = start(clash.get()).add(clash.get().size());
            BigInteger next = cursor.add(step);
            BigInteger aligned = alignUp(clashEnd, step);
            cursor = next.max(aligned);
        }
        return Optional.empty();
    }

    private static BigInteger start(IpPrefix prefix) {
        return new BigInteger(1, prefix.masked().address().getAddress());
    }

    private static BigInteger alignUp(BigInteger value, BigInteger step) {
        BigInteger[] qr = value.divideAndRemainder(step);
        return qr[1].signum() == 0 ? value : qr[0].add(BigInteger.ONE).multiply(step);
    }
}
