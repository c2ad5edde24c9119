package dev.berth.daemon.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class HeapKeeperTest {
    private static final long MB = 1 << 20;

    @Test
    void collectsOnlyPastTwiceTheLiveHeapAndTheSlack() {
        Deque<Long> readings = new ArrayDeque<>();
        List<String> collections = new ArrayList<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (HeapKeeper keeper = new HeapKeeper(readings::removeFirst, () -> collections.add("gc"), 32 * MB, timer)) {
            readings.add(30 * MB);                          // below the slack: nothing
            assertFalse(keeper.check());
            readings.addAll(List.of(40 * MB, 20 * MB));     // past it: collected, 20 MB live after
            assertTrue(keeper.check());
            assertEquals(20 * MB, keeper.live());
            readings.add(50 * MB);                          // twice the live heap, not live + slack (52)
            assertFalse(keeper.check());
            readings.addAll(List.of(53 * MB, 22 * MB));
            assertTrue(keeper.check());
            assertEquals(22 * MB, keeper.live());
            readings.addAll(List.of(44 * MB, 200 * MB, 150 * MB));   // live + slack, not twice: nothing;
            assertFalse(keeper.check());                             // then both: collected, and a
            assertTrue(keeper.check());                              // large live heap is the new floor
            assertEquals(150 * MB, keeper.live());
            readings.add(299 * MB);
            assertFalse(keeper.check());
            assertEquals(3, collections.size());
        }
    }

    @Test
    void aRealCollectionGivesTheGarbageBack() {
        Runtime rt = Runtime.getRuntime();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (HeapKeeper keeper = new HeapKeeper(() -> rt.totalMemory() - rt.freeMemory(), System::gc, 8 * MB, timer)) {
            keeper.check();                                 // the floor: what this JVM holds now
            long floor = keeper.live();
            List<byte[]> garbage = new ArrayList<>();
            for (int i = 0; i < 192; i++) {
                garbage.add(new byte[1 << 20]);
            }
            long before = rt.totalMemory() - rt.freeMemory();
            assertTrue(before > floor + 160 * MB, "192 MB held: " + before / MB + " MB in use, floor " + floor / MB);
            garbage = null;
            assertTrue(keeper.check());
            assertTrue(keeper.live() < before - 160 * MB, "after: " + keeper.live() / MB + " MB, before " + before / MB);
        }
    }
}
