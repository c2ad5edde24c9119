package dev.berth.daemon.archfixture;

/** Two classes of one package that use each other: a cycle the package-level rule cannot see. */
public final class ClassCycle {
    private ClassCycle() {
    }

    public static int start() {
        return CycleEnd.back() + Other.value();
    }

    static int forward() {
        return 1;
    }

    /** Nested classes belong to their top-level class: no cycle with it. */
    public static final class Other {
        private Other() {
        }

        static int value() {
            return ClassCycle.forward();
        }
    }
}
