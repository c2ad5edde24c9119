package dev.berth.daemon.archfixture;

/** The other end of {@link ClassCycle}'s cycle. */
public final class CycleEnd {
    private CycleEnd() {
    }

    static int back() {
        return ClassCycle.forward();
    }
}
