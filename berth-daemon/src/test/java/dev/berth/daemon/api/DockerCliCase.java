package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the tests that run the real docker CLI against a {@link TestDaemon}: no privileges
 * needed, skipped when the CLI is missing. The daemon's clock is the system's unless a test
 * class chooses another ({@link #clock}).
 */
abstract class DockerCliCase {
    @TempDir
    Path directory;
    TestDaemon daemon;
    DockerCli docker;

    /** The daemon's clock: the system's, so that "now" in events and filters is now. */
    Clock clock() {
        return Clock.systemUTC();
    }

    @BeforeEach
    void startDaemon() {
        assumeTrue(DockerCli.installed(), "docker CLI not installed at " + DockerCli.DOCKER);
        daemon = newDaemon(directory, clock());
        docker = new DockerCli(daemon.socket, directory);
    }

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** The daemon under test; override for one with processes. */
    TestDaemon newDaemon(Path dir, Clock clock) {
        return new TestDaemon(dir, clock);
    }

    /** Runs the CLI and expects exit 0. */
    DockerCli.Run ok(String... args) throws Exception {
        DockerCli.Run run = docker.run(args);
        assertEquals(0, run.exit(), () -> String.join(" ", args) + ": " + run.err());
        return run;
    }

    /** Runs the CLI, expects exit 1 and returns what it printed on stderr. */
    String fails(String... args) throws Exception {
        DockerCli.Run run = docker.run(args);
        assertEquals(1, run.exit(), () -> String.join(" ", args) + " should fail: " + run.out());
        return run.err().strip();
    }
}
