package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.BerthBuild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./berth} as a program: the real script, copied into a tree of stand-ins (a
 * {@code mvn} that "builds" by writing the jars, a {@code java} that records its arguments and
 * writes the file named by {@code -XX:AOTCacheOutput}), so its decisions show in what it runs:
 * when it builds, when it trains and uses the AOT caches, which flags berthd gets. File times are
 * set explicitly (an hour apart), never left to the clock.
 */
class LauncherTest {
    private static final Instant BUILT = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path tree;
    private Path javaLog;
    private Path envLog;
    private Path mvnLog;

    @BeforeEach
    void standIns() throws IOException {
        Path launcher = tree.resolve("berth");
        Files.copy(BerthBuild.fromSystemProperty().root().resolve("berth"), launcher);
        Files.copy(BerthBuild.fromSystemProperty().root().resolve("scripts/jvm-flags.sh"),
                Files.createDirectories(tree.resolve("scripts")).resolve("jvm-flags.sh"));
        executable(launcher);
        javaLog = tree.resolve("java.log");
        envLog = tree.resolve("env.log");
        mvnLog = tree.resolve("mvn.log");
        Path bin = Files.createDirectories(tree.resolve("bin"));
        write(bin.resolve("mvn"), """
                #!/bin/sh
                echo "mvn $*" >> '%s'
                mkdir -p berth-cli/target/lib berth-daemon/target/lib
                for f in berth-cli/target/berth-cli.jar berth-cli/target/lib/berth-api.jar berth-daemon/target/berth-daemon.jar; do
                  echo jar > "$f"
                done
                """.formatted(mvnLog));
        executable(bin.resolve("mvn"));
        Path java = Files.createDirectories(tree.resolve("jdk/bin")).resolve("java");
        write(java, """
                #!/bin/sh
                echo "java $*" >> '%s'
                echo "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-}" >> '%s'
                [ -n "$FAIL_TRAINING" ] && case "$*" in *AotTraining*) exit 1 ;; esac
                for a in "$@"; do
                  case $a in -XX:AOTCacheOutput=*) echo cache > "${a#-XX:AOTCacheOutput=}" ;; esac
                done
                echo "ran"
                """.formatted(javaLog, envLog));
        executable(java);
        write(tree.resolve("pom.xml"), "<project/>");
        write(tree.resolve("berth-core/pom.xml"), "<project/>");
        write(tree.resolve("berth-core/src/main/java/A.java"), "class A {}");
        at(tree.resolve("pom.xml"), -2);
        at(tree.resolve("berth-core/pom.xml"), -2);
        at(tree.resolve("berth-core/src/main/java/A.java"), -2);
        at(tree.resolve("berth-core/src/main/java"), -2);
        at(tree.resolve("berth-core/src/main"), -2);
    }

    @Test
    void firstCallBuildsTrainsTheCliCacheAndRunsTheCliFromIt() throws Exception {
        Result first = launcher(Map.of(), "network", "ls");

        assertEquals(0, first.status(), first.err());
        assertEquals("ran\n", first.out());
        assertEquals(List.of("mvn -B -Dstyle.color=never -DskipTests package"), mvnCalls());
        List<String> java = javaCalls();
        assertContains(java.getFirst(), "-XX:AOTCacheOutput=" + tree.resolve("berth-cli/target/berth-cli.aot"));
        assertContains(java.getFirst(), "-cp " + tree.resolve("berth-cli/target/berth-cli.jar") + " dev.berth.cli.AotTraining");
        assertEquals("java -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=20 -XX:+UseSerialGC -XX:-UsePerfData -XX:AOTCache="
                + tree.resolve("berth-cli/target/berth-cli.aot") + " -XX:+UnlockDiagnosticVMOptions"
                + " -XX:ArchiveRelocationMode=0 -Xlog:aot=off -Xlog:cds=off -jar "
                + tree.resolve("berth-cli/target/berth-cli.jar") + " network ls", java.getLast());
        assertTrue(Files.exists(tree.resolve("berth-daemon/target/.berth-built")));
    }

    @Test
    void unchangedSourcesNeitherBuildNorTrainAgain() throws Exception {
        builtAnHourAgo();

        Result result = launcher(Map.of(), "version");

        assertEquals(0, result.status(), result.err());
        assertEquals(List.of(), mvnCalls());
        assertEquals(1, javaCalls().size(), javaCalls().toString());
        assertContains(javaCalls().getFirst(), "-XX:AOTCache=");
        assertTrue(javaCalls().getFirst().endsWith(" version"), javaCalls().getFirst());
    }

    @Test
    void anEditedSourceFileOrAPomOrANewFileMeansABuild() throws Exception {
        builtAnHourAgo();
        at(tree.resolve("berth-core/src/main/java/A.java"), 0);
        launcher(Map.of(), "version");
        assertEquals(1, mvnCalls().size());

        builtAnHourAgo();
        at(tree.resolve("berth-core/src/main/java/A.java"), -2);
        at(tree.resolve("berth-core/pom.xml"), 0);
        launcher(Map.of(), "version");
        assertEquals(2, mvnCalls().size());

        builtAnHourAgo();
        at(tree.resolve("berth-core/pom.xml"), -2);
        launcher(Map.of(), "version");
        assertEquals(2, mvnCalls().size(), "nothing newer than the build");
        write(tree.resolve("berth-core/src/main/java/B.java"), "class B {}");
        at(tree.resolve("berth-core/src/main/java/B.java"), -2); // older than the build: only the directory tells
        launcher(Map.of(), "version");
        assertEquals(3, mvnCalls().size());
    }

    @Test
    void installAndPackageBuildFirstAndUninstallDoesNot() throws Exception {
        Path script = Files.createDirectories(tree.resolve("scripts")).resolve("install.sh");
        Path log = tree.resolve("install.log");
        write(script, "#!/bin/sh\necho \"install.sh $*\" >> '" + log + "'\n");
        executable(script);

        Result install = launcher(Map.of(), "install", "--root", "/tmp/r");
        assertEquals(0, install.status(), install.err());
        assertEquals(1, mvnCalls().size(), "built before installing");
        launcher(Map.of(), "package", "--output", "/tmp/d");
        launcher(Map.of(), "uninstall", "--force");
        assertEquals(1, mvnCalls().size(), "nothing newer than the build; uninstall never builds");
        assertEquals(List.of("install.sh install --root /tmp/r", "install.sh package --output /tmp/d",
                "install.sh uninstall --force"), Files.readAllLines(log));
    }

    @Test
    void noBuildCheckSkipsTheSourceScan() throws Exception {
        builtAnHourAgo();
        at(tree.resolve("berth-core/src/main/java/A.java"), 0);

        Result result = launcher(Map.of("BERTH_NO_BUILD_CHECK", "1"), "version");

        assertEquals(0, result.status(), result.err());
        assertEquals(List.of(), mvnCalls());
    }

    @Test
    void aCacheOlderThanTheJarOrALibIsNotUsed() throws Exception {
        builtAnHourAgo();
        at(tree.resolve("berth-cli/target/lib/berth-api.jar"), 0); // a `mvn package` by hand since
        launcher(Map.of("BERTH_NO_BUILD_CHECK", "1"), "version");
        assertWithoutCache(javaCalls().getLast(), "berth-cli.jar version");

        builtAnHourAgo();
        at(tree.resolve("berth-cli/target/berth-cli.jar"), 0);
        launcher(Map.of("BERTH_NO_BUILD_CHECK", "1"), "version");
        assertWithoutCache(javaCalls().getLast(), "berth-cli.jar version");
    }

    @Test
    void noAotSkipsAFreshCache() throws Exception {
        builtAnHourAgo();

        launcher(Map.of("BERTH_NO_AOT", "1"), "version");

        assertEquals(1, javaCalls().size(), javaCalls().toString());
        assertWithoutCache(javaCalls().getFirst(), "berth-cli.jar version");
    }

    @Test
    void aFailedTrainingIsReportedAndTheCliRunsWithoutCache() throws Exception {
        Result result = launcher(Map.of("FAIL_TRAINING", "1"), "version");

        assertEquals(0, result.status(), result.err());
        assertEquals("ran\n", result.out());
        assertContains(result.err(), "no AOT cache for the CLI");
        assertContains(result.err(), "training log in " + tree.resolve("tmp/berth-aot."));
        assertFalse(Files.exists(tree.resolve("berth-cli/target/berth-cli.aot")));
        assertWithoutCache(javaCalls().getLast(), "berth-cli.jar version");
    }

    @Test
    void theDaemonGetsItsFlagsAndAFreshCache() throws Exception {
        builtAnHourAgo();
        Path cache = tree.resolve("berth-daemon/target/berth-daemon.aot");
        write(cache, "cache");
        at(cache, -1);

        launcher(Map.of("BERTH_DAEMON_JVM_OPTS", "-Dx=1"), "daemon", "--debug");
        assertEquals("java --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms8m -XX:TrimNativeHeapInterval=5000"
                + " -XX:-ShrinkHeapInSteps -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
                + " -XX:AOTCache=" + cache + " -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
                + " -Xlog:aot=off -Xlog:cds=off -Dx=1 -jar " + tree.resolve("berth-daemon/target/berth-daemon.jar") + " --debug",
                javaCalls().getLast());
        // glibc's arenas, set where the JVM is exec'd (scripts/jvm-flags.sh DAEMON_ENV)
        assertEquals("MALLOC_ARENA_MAX=2", Files.readAllLines(envLog).getLast());

        at(cache, -3); // older than the jar
        launcher(Map.of(), "daemon");
        assertWithoutCache(javaCalls().getLast(), "berth-daemon.jar");
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), () -> "expected «" + part + "» in «" + text + "»");
    }

    private static void assertWithoutCache(String javaCall, String ending) {
        assertFalse(javaCall.contains("AOTCache"), javaCall);
        assertTrue(javaCall.endsWith(ending), () -> "expected «" + javaCall + "» to end with «" + ending + "»");
    }

    /** Jars, libs and caches as an earlier build left them: stamp and caches an hour ago, jars before. */
    private void builtAnHourAgo() throws IOException {
        for (String jar : List.of("berth-cli/target/berth-cli.jar", "berth-cli/target/lib/berth-api.jar",
                "berth-daemon/target/berth-daemon.jar", "berth-cli/target/berth-cli.aot")) {
            if (!Files.exists(tree.resolve(jar))) {
                write(tree.resolve(jar), "jar");
            }
        }
        at(tree.resolve("berth-cli/target/berth-cli.jar"), -2);
        at(tree.resolve("berth-cli/target/lib/berth-api.jar"), -2);
        at(tree.resolve("berth-daemon/target/berth-daemon.jar"), -2);
        at(tree.resolve("berth-cli/target/berth-cli.aot"), -1);
        Path stamp = tree.resolve("berth-daemon/target/.berth-built");
        if (!Files.exists(stamp)) {
            write(stamp, "");
        }
        at(stamp, -1);
        Files.deleteIfExists(javaLog);
    }

    private record Result(int status, String out, String err) {
    }

    private Result launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", tree.resolve("berth").toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tree.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("BERTH_"));
        builder.environment().put("BERTH_JAVA_HOME", tree.resolve("jdk").toString());
        builder.environment().put("PATH", tree.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("TMPDIR", Files.createDirectories(tree.resolve("tmp")).toString()); // the logs it keeps
        builder.environment().putAll(env);
        Path out = tree.resolve("out.txt");
        Path err = tree.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the launcher finished");
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private List<String> javaCalls() throws IOException {
        return Files.exists(javaLog) ? Files.readAllLines(javaLog) : List.of();
    }

    private List<String> mvnCalls() throws IOException {
        return Files.exists(mvnLog) ? Files.readAllLines(mvnLog) : List.of();
    }

    /** Sets the file's time to BUILT plus {@code hours}. */
    private static void at(Path file, int hours) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(BUILT.plusSeconds(3600L * hours)));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
