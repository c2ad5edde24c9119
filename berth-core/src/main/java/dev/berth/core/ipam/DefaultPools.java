package dev.berth.core.ipam;

import dev.berth.core.model.IpPrefix;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** Docker's local default pools, and the per-daemon IPv6 ULA pool derived from the engine id. */
public final class DefaultPools {
    private static final List<PoolSpec> IPV4 = List.of(
            PoolSpec.of("172.17.0.0/16", 16), PoolSpec.of("172.18.0.0/16", 16), PoolSpec.of("172.19.0.0/16", 16),
            PoolSpec.of("172.20.0.0/14", 16), PoolSpec.of("172.24.0.0/14", 16), PoolSpec.of("172.28.0.0/14", 16),
            PoolSpec.of("192.168.0.0/16", 20));

    /** The length of an automatic IPv6 subnet: a /64 of a ULA /48 (the daemon's or the cluster's). */
    public static final int IPV6_SUBNET_LENGTH = 64;

    private static final List<PoolSpec> GLOBAL_IPV4 = List.of(PoolSpec.of("10.0.0.0/8", 24));

    private DefaultPools() {
    }

    /** Docker's global (overlay) pool: 10.0.0.0/8 in /24s. */
    public static List<PoolSpec> globalIpv4() {
        return GLOBAL_IPV4;
    }

    /** 172.17–31.0.0/16, then 192.168.0.0/16 in /20s: 31 networks, docker0 included. */
    public static List<PoolSpec> ipv4() {
        return IPV4;
    }

    /**
     * The ULA /48 of this daemon, cut into /64s, as Docker 27+ derives it: the low 40 bits of the
     * first 8 bytes (big-endian) of SHA-256(engine id) become the global id after {@code fd}.
     */
    public static PoolSpec ula(String engineId) {
        byte[] hash = sha256(engineId.getBytes(StandardCharsets.UTF_8));
        long first8 = 0;
        for (int i = 0; i < 8; i++) {
            first8 = (first8 << 8) | (hash[i] & 0xffL);
        }
        return new PoolSpec(IpPrefix.uniqueLocal48(first8), IPV6_SUBNET_LENGTH);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
