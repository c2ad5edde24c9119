package dev.berth.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A socket tells its {@code KernelErrors} of every error the kernel answers, the ones the caller
 * tolerates too. Unprivileged: a lookup of a link that does not exist, and a request refused.
 */
class KernelErrorsTest {
    @Test
    void everyErrorAnswerIsToldByErrnoAndAnswersWithoutErrorAreNot() {
        List<Integer> told = new CopyOnWriteArrayList<>();
        try (RtNetlink netlink = RtNetlink.open(told::add)) {
            assertTrue(netlink.link("lo").isPresent());
            assertEquals(List.of(), told, "no error, nothing told");
            assertTrue(netlink.link("berthnosuch0").isEmpty(), "the lookup tolerates ENODEV");
            assertEquals(List.of(Errno.ENODEV), told);
            KernelException refused = assertThrows(KernelException.class, () -> netlink.setMtu(999_999, 1400));
            assertEquals(2, told.size(), told::toString);
            assertEquals(refused.errno(), told.get(1));
        }
    }
}
