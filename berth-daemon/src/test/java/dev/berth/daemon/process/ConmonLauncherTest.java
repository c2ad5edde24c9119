package dev.berth.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher reads back from a sandbox's directory; no process is started. */
class ConmonLauncherTest {
    private static final SandboxId KEPT = new SandboxId("a".repeat(64));
    private static final SandboxId STRAY = new SandboxId("b".repeat(64));

    @TempDir
    Path tmp;

    private ConmonLauncher launcher() {
        return new ConmonLauncher(new SandboxDirectory(tmp.resolve("sandboxes"), tmp.resolve("resolv.conf")),
                tmp.resolve("berth-runtime"), "conmon");
    }

    @Test
    void theCommandsPidCountsOnlyOnceWrittenWholeAndTheExitStatusAsConmonWroteIt() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        assertEquals(OptionalLong.empty(), ConmonLauncher.commandPid(dir));
        Files.writeString(dir.resolve(ConmonLauncher.PID), "123");
        assertEquals(OptionalLong.empty(), ConmonLauncher.commandPid(dir), "half written");
        Files.writeString(dir.resolve(ConmonLauncher.PID), "123\n");
        assertEquals(OptionalLong.of(123), ConmonLauncher.commandPid(dir));
        assertEquals(Optional.empty(), ConmonLauncher.recordedExit(dir, KEPT));
        Files.writeString(dir.resolve(KEPT.value()), "137");
        assertEquals(Optional.of(137), ConmonLauncher.recordedExit(dir, KEPT));
    }

    @Test
    void aSandboxWhoseMonitorIsGoneIsAdoptedAsExitedWithItsRecordedOrAnUnknownStatus() throws IOException {
        ConmonLauncher launcher = launcher();
        Path dir = Files.createDirectories(tmp.resolve("sandboxes").resolve(KEPT.value()));
        Files.writeString(dir.resolve(ConmonLauncher.MONITOR_PID), "1\n"); // alive, but not this sandbox's
        ProcessLauncher.Adopted unknown = launcher.adopt(KEPT, code -> { });
        assertFalse(unknown.running());
        assertEquals(ProcessLauncher.UNKNOWN_EXIT, unknown.exitCode());
        Files.writeString(dir.resolve(KEPT.value()), "7\n");
        ProcessLauncher.Adopted ended = launcher.adopt(KEPT, code -> { });
        assertEquals(7, ended.exitCode());
        assertTrue(ended.finishedAt() != null);
    }

    @Test
    void removeOthersDeletesTheDirectoriesOfSandboxesNoLongerStored() throws IOException {
        ConmonLauncher launcher = launcher();
        launcher.removeOthers(Set.of(KEPT));
        Path kept = Files.createDirectories(tmp.resolve("sandboxes").resolve(KEPT.value()));
        Path stray = Files.createDirectories(tmp.resolve("sandboxes").resolve(STRAY.value()));
        Files.writeString(stray.resolve(STRAY.value()), "0\n");
        Files.writeString(stray.resolve(ConmonLauncher.CONTAINER_PID), "1\n");
        launcher.removeOthers(Set.of(KEPT));
        assertTrue(Files.isDirectory(kept));
        assertFalse(Files.exists(stray));
    }

    @Test
    void installWritesTheRuntimeStandInForRootOnly() throws IOException {
        ConmonLauncher.install(tmp, tmp.resolve("resolv.conf"));
        Path runtime = tmp.resolve(ConmonLauncher.RUNTIME_FILE);
        assertEquals(ConmonLauncher.RUNTIME, Files.readString(runtime));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(runtime)));
    }
}
