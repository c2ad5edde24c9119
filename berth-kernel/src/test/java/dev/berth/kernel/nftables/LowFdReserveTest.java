package dev.berth.kernel.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LowFdReserveTest {

    @Test
    void aDescriptorOpenedInsideTakesAReservedNumberEvenWhenManyAreOpen() {
        try (LowFdReserve reserve = LowFdReserve.take(4)) {
            List<Integer> reserved = reserve.held();
            assertEquals(4, reserved.size());
            List<Integer> crowd = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    crowd.add(Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0));
                }
                int inside = reserve.withLowFds(() -> Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0));
                try {
                    assertTrue(reserved.contains(inside), inside + " not in " + reserved);
                    assertTrue(inside < crowd.getFirst(), inside + " vs " + crowd.getFirst());
                    assertEquals(4, reserve.held().size());
                } finally {
                    Libc.close(inside);
                }
            } finally {
                crowd.forEach(Libc::close);
            }
        }
    }

    @Test
    void numbersTakenMeanwhileAreNotReplacedByHighOnesAndNoLowNumberFailsCleanly() {
        List<Integer> crowd = new ArrayList<>();
        try (LowFdReserve reserve = LowFdReserve.take(4)) {
            while (crowd.isEmpty() || crowd.getLast() < LowFdReserve.FD_SETSIZE + 8) {
                crowd.add(Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0));
            }
            // the task keeps two of the released numbers, as another thread might
            List<Integer> stolen = reserve.withLowFds(() -> List.of(
                    Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0),
                    Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0)));
            assertEquals(2, reserve.held().size(), reserve.held().toString());
            assertTrue(reserve.held().stream().allMatch(fd -> fd < LowFdReserve.FD_SETSIZE), reserve.held().toString());
            // every low number in use: the call fails instead of handing libnftables a high one
            List<Integer> rest = new ArrayList<>();
            reserve.withLowFds(() -> {
                rest.add(Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0));
                rest.add(Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0));
                return null;
            });
            List<Integer> low = new ArrayList<>();
            while (true) {
                int fd = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
                if (fd >= LowFdReserve.FD_SETSIZE) {
                    Libc.close(fd);
                    break;
                }
                low.add(fd);
            }
            KernelException none = assertThrows(KernelException.class, () -> reserve.withLowFds(() -> 0));
            assertEquals(Errno.EMFILE, none.errno());
            crowd.addAll(stolen);
            crowd.addAll(rest);
            crowd.addAll(low);
        } finally {
            crowd.forEach(Libc::close);
        }
    }
}
