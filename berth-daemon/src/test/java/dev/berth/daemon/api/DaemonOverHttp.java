package dev.berth.daemon.api;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For tests that talk raw HTTP to a fresh {@link TestDaemon} per test method. */
abstract class DaemonOverHttp {
    @TempDir
    Path directory;
    TestDaemon daemon;
    RawHttp http;

    /** The daemon under test; override to add routes. */
    TestDaemon newDaemon(Path dir) {
        return new TestDaemon(dir);
    }

    @BeforeEach
    void start() {
        daemon = newDaemon(directory);
        http = daemon.http();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }
}
