package dev.berth.daemon.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {
    @TempDir
    Path dir;

    @Test
    void writesTheBundledLibraryOnceUnderAStableName() throws Exception {
        Path lib = dir.resolve("lib");
        Path installed = SqliteNativeLibrary.install(lib);
        assertEquals("sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + LibraryLoaderUtil.getNativeLibName(),
                installed.getFileName().toString());
        assertArrayEquals(bundled(), Files.readAllBytes(installed));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lib)));
        assertEquals(lib.toAbsolutePath().toString(), System.getProperty("org.sqlite.lib.path"));
        assertEquals(installed.getFileName().toString(), System.getProperty("org.sqlite.lib.name"));

        Object inode = Files.getAttribute(installed, "unix:ino");
        SqliteNativeLibrary.install(lib);
        assertEquals(inode, Files.getAttribute(installed, "unix:ino"), "an intact copy is not rewritten");
        try (var files = Files.list(lib)) {
            assertEquals(List.of(installed), files.toList(), "one file, no temporaries");
        }
    }

    @Test
    void replacesADamagedCopyAndRemovesOtherVersions() throws Exception {
        Path lib = dir.resolve("lib");
        Files.createDirectories(lib);
        Path old = Files.writeString(lib.resolve("sqlite-3.0.0.0-libsqlitejdbc.so"), "old");
        Path installed = SqliteNativeLibrary.install(lib);
        Files.writeString(installed, "cut short");
        SqliteNativeLibrary.install(lib);
        assertArrayEquals(bundled(), Files.readAllBytes(installed));
        assertFalse(Files.exists(old));
    }

    @Test
    void replacesACopyOfTheRightSizeWithOneByteChanged() throws Exception {
        Path lib = dir.resolve("lib");
        Path installed = SqliteNativeLibrary.install(lib);
        byte[] damaged = Files.readAllBytes(installed);
        damaged[damaged.length / 2] ^= 1;
        Files.write(installed, damaged);
        SqliteNativeLibrary.install(lib);
        assertArrayEquals(bundled(), Files.readAllBytes(installed));
    }

    @Test
    void theStoreOpensWithItsLibraryBesideTheDatabase() {
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("berth.db"))) {
            assertTrue(store.networks().isEmpty());
        }
        assertTrue(Files.isRegularFile(dir.resolve("lib").resolve(
                "sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + LibraryLoaderUtil.getNativeLibName())));
    }

    private static byte[] bundled() throws Exception {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName())) {
            return in.readAllBytes();
        }
    }
}
