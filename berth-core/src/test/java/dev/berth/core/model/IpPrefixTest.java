package dev.berth.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    @Test
    void masksHostBitsForBothFamilies() {
        assertEquals("172.17.0.0/16", IpPrefix.parse("172.17.0.1/16").masked().toString());
        assertEquals("fd00:1::/80", IpPrefix.parse("fd00:1::1/80").masked().toString());
        assertTrue(IpPrefix.parse("fd00:1::1/80").hasHostBits());
        assertFalse(IpPrefix.parse("10.0.0.0/8").hasHostBits());
    }

    @Test
    void containsAndOverlaps() {
        IpPrefix net = IpPrefix.parse("192.168.16.0/20");
        assertTrue(net.contains(IpAddresses.parse("192.168.31.255")));
        assertFalse(net.contains(IpAddresses.parse("192.168.32.0")));
        assertFalse(net.contains(IpAddresses.parse("::1")));
        assertTrue(net.overlaps(IpPrefix.parse("192.168.0.0/16")));
        assertFalse(net.overlaps(IpPrefix.parse("192.168.32.0/20")));
    }

    @Test
    void aProperSliceIsLongerAndInside() {
        IpPrefix lan = IpPrefix.parse("2001:db8::/64");
        assertTrue(lan.properlyContains(IpPrefix.parse("2001:db8::1:0:0:0/80")));
        assertTrue(lan.properlyContains(IpPrefix.parse("2001:db8::ffff:0:0:5/128")));
        assertFalse(lan.properlyContains(lan), "not itself");
        assertFalse(lan.properlyContains(IpPrefix.parse("2001:db8::/48")), "not a wider one");
        assertFalse(lan.properlyContains(IpPrefix.parse("2001:db8:0:1::/80")), "not one beside it");
        assertFalse(IpPrefix.parse("::/0").properlyContains(IpPrefix.parse("10.0.0.0/8")), "not another family");
        assertTrue(IpPrefix.parse("10.0.0.0/8").properlyContains(IpPrefix.parse("10.1.0.0/16")));
    }

    @Test
    void arithmeticIs128Bit() {
        IpPrefix v6 = IpPrefix.parse("fd12:3456:789a::/48");
        assertEquals(BigInteger.ONE.shiftLeft(80), v6.size());
        assertEquals("fd12:3456:789a:1::", IpAddresses.format(v6.addressAt(BigInteger.ONE.shiftLeft(64))));
    }

    @Test
    void formatsIpv6Canonically() {
        assertEquals("2001:db8::1", IpAddresses.format(IpAddresses.parse("2001:0db8:0:0:0:0:0:1")));
        assertEquals("::", IpAddresses.format(IpAddresses.parse("::")));
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddresses.format(IpAddresses.parse("2001:db8:0:1:1:1:1:1")));
        assertEquals("fe80::1:0:0:1", IpAddresses.format(IpAddresses.parse("fe80:0:0:0:1:0:0:1")));
    }

    @Test
    void aUniqueLocal48IsFdAndTheLow40BitsOfTheGlobalId() {
        assertEquals(IpPrefix.parse("fd12:3456:789a::/48"), IpPrefix.uniqueLocal48(0x12_3456_789aL));
        assertEquals(IpPrefix.parse("fd12:3456:789a::/48"), IpPrefix.uniqueLocal48(0xffff_ff12_3456_789aL));
        assertEquals(IpPrefix.parse("fd00::/48"), IpPrefix.uniqueLocal48(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"172.17.0.0", "172.17.0.0/33", "172.17/16", "localhost/8", "1.2.3.4/-1", "::/129",
            "fe80::1%eth0/64", "10.0.0.256/8", "", "/8", "01.2.3.4/8x"})
    void rejectsMalformedPrefixes(String text) {
        assertThrows(InvalidParameterException.class, () -> IpPrefix.parse(text));
    }
}
