package dev.berth.daemon.store;

import dev.berth.core.errors.InternalException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
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
 *
 * <p>At a start with the library in place, the copy is checked against the size and CRC-32 that
 * the driver's jar lists for it, read from that jar alone: the bundled library (1.1 MB) is not
 * inflated, and no other jar of the class path is searched for it.
 */
final class SqliteNativeLibrary {
    private static final String PREFIX = "sqlite-";

    private SqliteNativeLibrary() {
    }

    /** Installs the library into {@code dir} if missing or different, and points the driver at it. */
    static Path install(Path dir) {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        Path target = dir.resolve(PREFIX + SQLiteJDBCLoader.getVersion() + "-" + LibraryLoaderUtil.getNativeLibName());
        try {
            Optional<Path> jar = driverJar();
            boolean installed = jar.isPresent()
                    ? installFromJar(jar.get(), resource.substring(1), dir, target)
                    : installFromResource(resource, dir, target);
            if (!installed) {
                return target; // no bundled library for this platform: the driver's own search applies
            }
            removeOtherVersions(dir, target);
        } catch (IOException e) {
            throw new InternalException("install the SQLite native library in " + dir + ": " + e.getMessage(), e);
        }
        System.setProperty("org.sqlite.lib.path", dir.toAbsolutePath().toString());
        System.setProperty("org.sqlite.lib.name", target.getFileName().toString());
        return target;
    }

    /** The jar the driver was loaded from, if it was loaded from a jar file. */
    private static Optional<Path> driverJar() {
        CodeSource source = SQLiteJDBCLoader.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The library from entry {@code name} of {@code jar}; written only when the copy differs from it. */
    private static boolean installFromJar(Path jar, String name, Path dir, Path target) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            ZipEntry entry = file.getEntry(name);
            if (entry == null) {
                return false;
            }
            prepare(dir);
            if (entry.getSize() < 0 || entry.getCrc() < 0 || !matches(target, entry.getSize(), entry.getCrc())) {
                try (InputStream in = file.getInputStream(entry)) {
                    writeUnlessSame(target, in.readAllBytes());
                }
            }
            return true;
        }
    }

    /** The library as a class-path resource (the driver's classes are not in a jar file). */
    private static boolean installFromResource(String resource, Path dir, Path target) throws IOException {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            byte[] bytes = in.readAllBytes();
            prepare(dir);
            writeUnlessSame(target, bytes);
            return true;
        }
    }

    private static void prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Whether {@code file} is a regular file of {@code size} bytes whose CRC-32 is {@code crc}. */
    private static boolean matches(Path file, long size, long crc) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != size) {
            return false;
        }
        CRC32 sum = new CRC32();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                sum.update(buffer);
                buffer.clear();
            }
        }
        return sum.getValue() == crc;
    }

    /** Writes {@code bytes} to {@code target} ({@link #write}) unless it already holds exactly them. */
    private static void writeUnlessSame(Path target, byte[] bytes) throws IOException {
        if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) {
            write(target, bytes);
        }
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(bytes));
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
