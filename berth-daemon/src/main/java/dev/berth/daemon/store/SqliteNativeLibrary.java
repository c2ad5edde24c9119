package dev.berth.daemon.store;

import dev.berth.core.errors.InternalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps sqlite-jdbc's native library in one stable file under the daemon's own directory instead
 * of {@code java.io.tmpdir}. Left to itself the driver extracts a fresh copy with a random name
 * into {@code /tmp} at every start and deletes it only at a clean JVM exit, so every killed
 * daemon left 1.1 MB behind. Here the library is written once per driver version (to a temporary
 * name, then renamed, so a crash never leaves a half-written library under the real name), and
 * the driver is pointed at it through its {@code org.sqlite.lib.path}/{@code org.sqlite.lib.name}
 * properties, which it tries before extracting. Copies of other driver versions are removed.
 */
final class SqliteNativeLibrary {
    private static final String PREFIX = "sqlite-";

    private SqliteNativeLibrary() {
    }

    /** Installs the library into {@code dir} if missing or different, and points the driver at it. */
    static Path install(Path dir) {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        Path target = dir.resolve(PREFIX + SQLiteJDBCLoader.getVersion() + "-" + LibraryLoaderUtil.getNativeLibName());
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return target; // no bundled library for this platform: the driver's own search applies
            }
            byte[] bytes = in.readAllBytes();
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) {
                write(target, bytes);
            }
            removeOtherVersions(dir, target);
        } catch (IOException e) {
            throw new InternalException("install the SQLite native library in " + dir + ": " + e.getMessage(), e);
        }
        System.setProperty("org.sqlite.lib.path", dir.toAbsolutePath().toString());
        System.setProperty("org.sqlite.lib.name", target.getFileName().toString());
        return target;
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(bytes));
            out.force(true);
        }
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void removeOtherVersions(Path dir, Path keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path entry : entries) {
                if (!entry.equals(keep)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }
}
