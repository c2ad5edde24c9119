package dev.berth.it.crash;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The subnet test behind "each endpoint's addresses lie in its network's subnets". */
class ConvergenceTest {

    @Test
    void aSubnetContainsItsAddressesOnlyOfItsFamily() {
        assertTrue(Convergence.contains("2001:db8:2::/64", "2001:db8:2::2"));
        assertTrue(Convergence.contains("2001:db8:1::/80", "2001:db8:1::ffff:ffff:ffff"));
        assertFalse(Convergence.contains("2001:db8:1::/80", "2001:db8:1:0:1::2"));
        assertFalse(Convergence.contains("2001:db8:2::/64", "2001:db8:1::2"));
        assertTrue(Convergence.contains("172.17.0.0/16", "172.17.255.2"));
        assertFalse(Convergence.contains("172.17.0.0/16", "172.18.0.2"));
        assertFalse(Convergence.contains("2001:db8::/32", "172.17.0.2"));
        assertFalse(Convergence.contains("bad", "172.17.0.2"));
    }
}
