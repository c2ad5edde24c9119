package dev.berth.core.ipam;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.IpPrefix;

/**
 * A default address pool: a base prefix cut into subnets of {@code size} bits, the shape of a
 * daemon.json {@code default-address-pools} entry ({@code {"base":"10.10.0.0/16","size":24}}).
 */
public record PoolSpec(IpPrefix base, int size) {

    public PoolSpec {
        if (base.hasHostBits()) {
            throw new InvalidParameterException("invalid base pool " + base + ": it should be " + base.masked());
        }
        if (size < base.length() || size > base.bits()) {
            throw new InvalidParameterException("invalid pools size " + size + " for base " + base
                    + ": size must be between " + base.length() + " and " + base.bits());
        }
    }

    public static PoolSpec of(String base, int size) {
        return new PoolSpec(IpPrefix.parse(base), size);
    }

    public boolean isIpv4() {
        return base.isIpv4();
    }
}
