package dev.berth.kernel.netlink;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SpecTest {
    @Test
    void interfaceNamesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> BridgeSpec.named("a-name-of-16-chr"));
        assertThrows(IllegalArgumentException.class, () -> BridgeSpec.named("br/x"));
        assertThrows(IllegalArgumentException.class, () -> BridgeSpec.named(""));
        assertEquals("br-0123456789ab", BridgeSpec.named("br-0123456789ab").name());
        assertThrows(IllegalArgumentException.class, () -> BridgeSpec.named("a%d"), "a kernel name format");
        assertThrows(IllegalArgumentException.class, () -> BridgeSpec.named("b\ud800"), "a lone high surrogate");
        assertThrows(IllegalArgumentException.class, () -> BridgeSpec.named("b\udc00x"), "a lone low surrogate");
        assertThrows(IllegalArgumentException.class, () -> BridgeSpec.named("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"),
                "8 characters but 16 bytes");
        assertEquals("b\ud83d\ude00", BridgeSpec.named("b\ud83d\ude00").name(), "a surrogate pair is one code point");
        assertThrows(IllegalArgumentException.class,
                () -> new VethSpec("veth0", "eth0", new byte[5], 0, 0, false, null));
    }

    @Test
    void routeSpecChecksFamilyAndPrefix() throws Exception {
        InetAddress v4 = InetAddress.getByName("10.0.0.1");
        InetAddress v6 = InetAddress.getByName("fd00::1");
        assertEquals(RtNetlink.AF_INET6, RouteSpec.defaultVia(v6).family());
        assertThrows(IllegalArgumentException.class, () -> new RouteSpec(null, 0, v6, 0, RtNetlink.AF_INET));
        assertThrows(IllegalArgumentException.class, () -> new RouteSpec(v4, 33, null, 1, RtNetlink.AF_INET));
        assertThrows(IllegalArgumentException.class, () -> new RouteSpec(v4, 8, null, 0, RtNetlink.AF_INET));
        assertThrows(IllegalArgumentException.class, () -> new AddressSpec(1, v4, 33, false));
    }

    @Test
    void macRoundTrip() {
        byte[] mac = Mac.parse("02:42:AC:11:00:02");
        assertEquals("02:42:ac:11:00:02", Mac.format(mac));
        assertThrows(IllegalArgumentException.class, () -> Mac.parse("02:42:ac"));
    }
}
