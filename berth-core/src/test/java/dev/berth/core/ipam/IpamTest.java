package dev.berth.core.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpamTest {

    private static List<IpPrefix> prefixes(String... p) {
        List<IpPrefix> out = new ArrayList<>();
        for (String s : p) {
            out.add(IpPrefix.parse(s));
        }
        return out;
    }

    private static String next(List<IpPrefix> taken) {
        return SubnetAllocator.lowestFree(DefaultPools.ipv4(), taken).map(IpPrefix::toString).orElse("none");
    }

    @Test
    void defaultPoolsInDockersOrderWithFirstFitReuse() {
        assertEquals("172.18.0.0/16", next(prefixes("172.17.0.0/16")));
        assertEquals("172.20.0.0/16", next(prefixes("172.17.0.0/16", "172.18.0.0/16", "172.19.0.0/16")));
        assertEquals("172.18.0.0/16", next(prefixes("172.17.0.0/16", "172.19.0.0/16")));
    }

    @Test
    void skipsReservedHostPrefixesAndFillsAll31() {
        assertEquals("172.19.0.0/16", next(prefixes("172.17.0.0/16", "172.18.5.0/24")));
        assertEquals("172.18.0.0/16", next(prefixes("172.17.0.0/16", "10.0.0.0/8")));
        List<IpPrefix> taken = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            IpPrefix p = SubnetAllocator.lowestFree(DefaultPools.ipv4(), taken).orElseThrow();
            taken.add(p);
        }
        assertEquals("172.31.0.0/16", taken.get(14).toString());
        assertEquals("192.168.0.0/20", taken.get(15).toString());
        assertEquals("192.168.240.0/20", taken.get(30).toString());
        assertEquals("none", next(taken));
        assertEquals("192.168.0.0/20", next(prefixes("172.16.0.0/12")));
        assertEquals("192.168.32.0/20", next(prefixes("172.16.0.0/12", "192.168.0.0/19")));
    }

    @Test
    void ulaPoolIsStableAndCutIntoSlash64() {
        PoolSpec ula = DefaultPools.ula("1d8a5c1e-7b2a-4d4e-9c55-0a7e3d7c9b10");
        assertEquals(ula, DefaultPools.ula("1d8a5c1e-7b2a-4d4e-9c55-0a7e3d7c9b10"));
        assertTrue(ula.base().toString().startsWith("fd"), ula.toString());
        assertEquals(48, ula.base().length());
        assertEquals(64, ula.size());
        IpPrefix first = SubnetAllocator.lowestFree(List.of(ula), List.of()).orElseThrow();
        IpPrefix second = SubnetAllocator.lowestFree(List.of(ula), List.of(first)).orElseThrow();
        assertEquals(ula.base().masked().address(), first.address());
        assertEquals(IpAddresses.format(first.address()).replace("::", ":1::"), IpAddresses.format(second.address()));
    }

    @Test
    void poolSpecsAreValidated() {
        assertThrows(InvalidParameterException.class, () -> PoolSpec.of("10.10.0.1/16", 24));
        assertThrows(InvalidParameterException.class, () -> PoolSpec.of("10.10.0.0/16", 8));
    }

    @Test
    void addressesLowestFreeWithReservationsAndReuse() {
        AddressPool pool = new AddressPool(IpPrefix.parse("10.0.0.0/29"), Optional.empty());
        assertEquals("10.0.0.1", IpAddresses.format(pool.allocate()));
        pool.reserve(IpAddresses.parse("10.0.0.3"));
        assertEquals("10.0.0.2", IpAddresses.format(pool.allocate()));
        assertEquals("10.0.0.4", IpAddresses.format(pool.allocate()));
        pool.release(IpAddresses.parse("10.0.0.2"));
        assertEquals("10.0.0.2", IpAddresses.format(pool.allocate()));
        assertEquals("10.0.0.5", IpAddresses.format(pool.allocate()));
        assertEquals("10.0.0.6", IpAddresses.format(pool.allocate()));
        assertThrows(UnavailableException.class, pool::allocate);
        assertThrows(ForbiddenException.class, () -> pool.reserve(IpAddresses.parse("10.0.0.5")));
        assertThrows(InvalidParameterException.class, () -> pool.reserve(IpAddresses.parse("10.0.0.9")));
    }

    @Test
    void rangeLimitsDynamicAllocationOnly() {
        AddressPool pool = new AddressPool(IpPrefix.parse("172.28.0.0/16"), Optional.of(IpPrefix.parse("172.28.0.0/24")));
        assertEquals("172.28.0.1", IpAddresses.format(pool.allocate()));
        pool.reserve(IpAddresses.parse("172.28.9.9"));
        AddressPool v6 = new AddressPool(IpPrefix.parse("fd00:1::/80"), Optional.empty());
        assertEquals("fd00:1::1", IpAddresses.format(v6.allocate()));
        assertEquals("fd00:1::2", IpAddresses.format(v6.allocate()));
        AddressPool p31 = new AddressPool(IpPrefix.parse("10.1.1.0/31"), Optional.empty());
        assertEquals("10.1.1.0", IpAddresses.format(p31.allocate()));
    }

    @Test
    void lowestFreeHoldsUnderRandomReleasesAndReservations() {
        AddressPool pool = new AddressPool(IpPrefix.parse("10.2.0.0/24"), Optional.of(IpPrefix.parse("10.2.0.64/26")));
        java.util.Random random = new java.util.Random(7);
        java.util.TreeSet<Integer> held = new java.util.TreeSet<>();
        for (int step = 0; step < 5000; step++) {
            int op = random.nextInt(4);
            if (op < 2) {
                int expected = java.util.stream.IntStream.range(64, 128).filter(i -> !held.contains(i)).findFirst()
                        .orElse(-1);
                if (expected < 0) {
                    assertThrows(UnavailableException.class, pool::allocate);
                } else {
                    assertEquals("10.2.0." + expected, IpAddresses.format(pool.allocate()), "step " + step);
                    held.add(expected);
                }
            } else if (op == 2 && !held.isEmpty()) {
                int gone = new ArrayList<>(held).get(random.nextInt(held.size()));
                pool.release(IpAddresses.parse("10.2.0." + gone));
                held.remove(gone);
            } else {
                int at = 1 + random.nextInt(254);
                pool.reserveQuietly(IpAddresses.parse("10.2.0." + at));
                held.add(at);
            }
        }
    }
}
