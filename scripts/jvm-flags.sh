# The JVM flags of the berth CLI and of berthd: one place for the launcher (./berth), the demo and
# the wrappers that `berth install` writes. Sourced by them (bash).

# The CLI: a short run. C1 only, and only for what runs 20 times more often than a server would
# wait for (compiling took a third of a `network ls`'s CPU), the serial GC, no hsperfdata file.
CLI_JVM=(-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=20 -XX:+UseSerialGC -XX:-UsePerfData)
# berthd: the serial GC; a heap that starts small and grows on demand (the default initial heap,
# 1/64 of RAM, is filled by start-up garbage before the first collection and stays resident);
# malloc_trim every 5 s, which hands back what the JIT compilers freed after start-up (glibc keeps
# it otherwise: ~35 MiB of berthd's idle RSS); a full collection shrinks the heap to 1/0.7 of what is
# live at once, not in steps (berthd asks for one when a burst has left garbage in the old generation:
# daemon.host.HeapKeeper). The JIT keeps its default thresholds: tenfold ones (CompileThresholdScaling=10)
# made start-up ~100 ms and a restore of 1000 sandboxes ~350 ms faster, but left what one connect
# runs once interpreted for ~2000 connects: connect p50 at K=1 3.0-4.7 ms against 1.8-2.7 (bench/README).
DAEMON_JVM=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms8m -XX:TrimNativeHeapInterval=5000
  -XX:-ShrinkHeapInSteps -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30)
# berthd's environment, set where its JVM is exec'd: two glibc malloc arenas instead of up to 8 per
# core (each thread that mallocs first, such as a per-namespace worker or a JIT compiler, may get an
# arena of its own, and what an arena keeps is not handed back; −12 MiB RSS with 1000 sandboxes).
DAEMON_ENV=(MALLOC_ARENA_MAX=2)

# The launcher's AOT caches (./berth build writes them beside the jars; the bench uses berthd's too).
# With a cache: map it where it was written instead of relocating it, which would copy (and keep
# resident) every page it points from, ~20 MiB more RSS for berthd; a refused cache (another JDK)
# is skipped without messages, as stderr belongs to the program.
AOT_USE=(-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -Xlog:aot=off -Xlog:cds=off)
aot_fresh() { # cache jar: the cache exists and is newer than the jar and each of its libs
  local lib
  [[ $1 -nt $2 ]] || return 1
  for lib in "${2%/*}"/lib/*.jar; do
    [[ ! -e $lib || $1 -nt $lib ]] || return 1
  done
}
