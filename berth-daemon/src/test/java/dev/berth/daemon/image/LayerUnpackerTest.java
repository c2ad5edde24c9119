package dev.berth.daemon.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.errors.InvalidParameterException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking as overlay2 does; runs as root (whiteouts are device nodes, owners are set). */
class LayerUnpackerTest {
    @TempDir
    Path dir;

    /** Builds a tar from entries. */
    static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

        Tar() {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar file(String name, String content, int mode, int uid) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name);
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            e.setMode(mode);
            e.setUserId(uid);
            e.setGroupId(uid);
            e.setModTime(Instant.parse("2020-01-02T03:04:05Z").toEpochMilli());
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
            return this;
        }

        Tar dir(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(0755);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        Tar link(String name, String target, byte type) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        Tar xattr(String name, String key, String value) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(0);
            e.addPaxHeader("SCHILY.xattr." + key, value);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        byte[] bytes() throws IOException {
            out.close();
            return bytes.toByteArray();
        }
    }

    private Path unpack(byte[] tar) throws IOException {
        Path root = Files.createDirectory(dir.resolve("root"));
        LayerUnpacker.unpack(new ByteArrayInputStream(tar), root);
        return root;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void filesDirectoriesOwnersModesAndTimes() throws IOException {
        assumeTrue(root());
        Path root = unpack(new Tar().dir("bin").file("bin/tool", "x", 04755, 0).file("./home/u/f", "hello", 0640, 1000)
                .link("bin/sh", "tool", TarConstants.LF_SYMLINK).link("bin/hard", "bin/tool", TarConstants.LF_LINK).bytes());
        Path tool = root.resolve("bin/tool");
        assertEquals(04755, (int) Files.getAttribute(tool, "unix:mode") & 07777);
        assertEquals(1000, Files.getAttribute(root.resolve("home/u/f"), "unix:uid"));
        assertEquals(Instant.parse("2020-01-02T03:04:05Z"), Files.getLastModifiedTime(tool).toInstant());
        assertEquals("tool", Files.readSymbolicLink(root.resolve("bin/sh")).toString());
        assertEquals(Files.getAttribute(tool, "unix:ino"), Files.getAttribute(root.resolve("bin/hard"), "unix:ino"));
        assertEquals(0755, (int) Files.getAttribute(root.resolve("home"), "unix:mode") & 07777);
    }

    @Test
    void whiteoutsBecomeOverlayWhiteouts() throws IOException {
        assumeTrue(root());
        Path root = unpack(new Tar().dir("etc").file("etc/.wh.gone", "", 0644, 0).dir("var")
                .file("var/.wh..wh..opq", "", 0644, 0).xattr("etc/x", "user.test", "v").bytes());
        Path whiteout = root.resolve("etc/gone");
        assertEquals(0020000, (int) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000);
        assertEquals(0L, ((Number) Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue());
        assertFalse(Files.exists(root.resolve("etc/.wh.gone"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("var/.wh..wh..opq"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("y", xattr(root.resolve("var"), "trusted.overlay.opaque"));
        assertEquals("v", xattr(root.resolve("etc/x"), "user.test"));
    }

    private static String xattr(Path path, String name) {
        return new String(dev.berth.kernel.ffm.Libc.lgetxattr(path.toString(), name), StandardCharsets.UTF_8);
    }

    @Test
    void escapesAreRefusedAndNothingIsWrittenOutside() throws IOException {
        assumeTrue(root());
        Path outside = dir.resolve("outside");
        Files.createDirectory(outside);
        Map<String, byte[]> attacks = Map.of(
                "dotdot", new Tar().file("../outside/x", "pwned", 0644, 0).bytes(),
                "deep dotdot", new Tar().dir("a").file("a/../../outside/x", "pwned", 0644, 0).bytes(),
                "symlink parent", new Tar().link("a", outside.toString(), TarConstants.LF_SYMLINK)
                        .file("a/x", "pwned", 0644, 0).bytes(),
                "relative symlink parent", new Tar().link("a", "../outside", TarConstants.LF_SYMLINK)
                        .file("a/x", "pwned", 0644, 0).bytes(),
                "hard link out", new Tar().link("h", "../outside/y", TarConstants.LF_LINK).bytes());
        Files.writeString(outside.resolve("y"), "host file");
        for (Map.Entry<String, byte[]> attack : attacks.entrySet()) {
            Path root = Files.createDirectory(dir.resolve("r-" + attack.getKey().replace(' ', '-')));
            assertThrows(InvalidParameterException.class,
                    () -> LayerUnpacker.unpack(new ByteArrayInputStream(attack.getValue()), root), attack.getKey());
            assertFalse(Files.exists(outside.resolve("x")), attack.getKey());
        }
        // An absolute name is resolved inside the root.
        Path root = unpack(new Tar().file("/etc/passwd", "root:x:0:0::/:/bin/sh\n", 0644, 0).bytes());
        assertTrue(Files.isRegularFile(root.resolve("etc/passwd")));
    }

    @Test
    void truncatedAndCorruptTarsFail() throws IOException {
        assumeTrue(root());
        byte[] tar = new Tar().file("big", "x".repeat(5000), 0644, 0).bytes();
        byte[] truncated = Arrays.copyOf(tar, 2048);
        assertThrows(InvalidParameterException.class,
                () -> LayerUnpacker.unpack(new ByteArrayInputStream(truncated), Files.createDirectory(dir.resolve("t"))));
        byte[] corrupt = tar.clone();
        corrupt[150] ^= 0x55; // the header checksum no longer matches
        assertThrows(InvalidParameterException.class,
                () -> LayerUnpacker.unpack(new ByteArrayInputStream(corrupt), Files.createDirectory(dir.resolve("c"))));
    }
}
