package dev.berth.kernel.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
