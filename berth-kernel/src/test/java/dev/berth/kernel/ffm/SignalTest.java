package dev.berth.kernel.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

/**
 * {@link Libc#unignoreSignal} on SIGWINCH, whose default action is to ignore it anyway, so the
 * test JVM is never at risk whatever the outcome.
 */
class SignalTest {
    private static final int SIGWINCH = 28;

    @SuppressWarnings("restricted")
    private static final MethodHandle SIGNAL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("signal").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private static long set(long handler) throws Throwable {
        return ((MemorySegment) SIGNAL.invokeExact(SIGWINCH, MemorySegment.ofAddress(handler))).address();
    }

    @Test
    void anIgnoredSignalGetsItsDefaultActionBackAndOthersAreLeftAlone() throws Throwable {
        long before = set(1); // SIG_IGN, as nohup leaves SIGHUP
        try {
            assertTrue(Libc.unignoreSignal(SIGWINCH), "it was ignored");
            assertEquals(0, set(0), "now SIG_DFL");
            assertFalse(Libc.unignoreSignal(SIGWINCH), "not ignored: nothing to do");
            assertEquals(0, set(0));
        } finally {
            set(before);
        }
    }
}
