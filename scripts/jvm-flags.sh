# The JVM flags of the berth CLI and of berthd: one place for the launcher (./berth), the demo and
# the wrappers that `berth install` writes. Sourced by them (bash).

# The CLI: a short run. C1 only, and only for what runs 20 times more often than a server would
# wait for (compiling took a third of a `network ls`'s CPU), the serial GC, no hsperfdata file.
CLI_JVM=(-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=20 -XX:+UseSerialGC -XX:-UsePerfData)
# berthd: the serial GC; a heap that starts small and grows on demand (the default initial heap,
# 1/64 of RAM, is filled by start-up garbage before the first collection and stays resident);
# malloc_trim every 5 s, which hands back what the JIT compilers freed after start-up (glibc keeps
# it otherwise: ~35 MiB of berthd's idle RSS).
DAEMON_JVM=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms8m -XX:TrimNativeHeapInterval=5000)
# berthd's environment, set where its JVM is exec'd: two glibc malloc arenas instead of up to 8 per
# core (each thread that mallocs first, such as a per-namespace worker or a JIT compiler, may get an
# arena of its own, and what an arena keeps is not handed back; −12 MiB RSS with 1000 sandboxes).
DAEMON_ENV=(MALLOC_ARENA_MAX=2)
