package dev.berth.daemon.image;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one layer (an uncompressed tar stream) into an empty directory the way overlay2 stores
 * it: AUFS-style whiteouts become overlay whiteouts ({@code .wh.name}: a character device 0/0;
 * {@code .wh..wh..opq}: {@code trusted.overlay.opaque=y} on the directory), and hard links,
 * symlinks, devices, FIFOs, owners, modes (setuid included), modification times and PAX
 * {@code SCHILY.xattr.*} attributes are kept.
 *
 * <p>Nothing is written outside the directory: entry names are cleaned ({@code ./}, a leading
 * {@code /}), a name or hard-link target that climbs out with {@code ..} is refused, and every
 * parent of an entry must be a real directory made by this layer (a symlink met on the way is
 * refused, never followed, so {@code a -> /etc} then {@code a/passwd} cannot touch the host's
 * {@code /etc}). A failed unpack leaves a partial directory that the caller deletes.
 */
public final class LayerUnpacker {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final Deque<Map.Entry<Path, FileTime>> directoryTimes = new ArrayDeque<>();
    private long size;

    private LayerUnpacker(Path root) {
        this.root = root;
    }

    /**
     * Unpacks {@code tar} into {@code root} (an existing empty directory) and returns the bytes of
     * regular files written. A malformed, truncated or escaping archive is a 400
     * ({@link InvalidParameterException}); an {@link IOException} is a failure of the directory's
     * file system (a full disk). The caller removes {@code root}.
     */
    public static long unpack(InputStream tar, Path root) throws IOException {
        LayerUnpacker unpacker = new LayerUnpacker(root);
        // Not closed here: closing would close {@code tar}, which the caller owns and drains below.
        TarArchiveInputStream in = new TarArchiveInputStream(tar);
        TarArchiveEntry entry;
        while ((entry = nextEntry(in)) != null) {
            unpacker.write(entry, in);
        }
        // What follows the end-of-archive blocks counts too: the digest covers the whole stream.
        StreamCopy.drain(tar, "layer");
        unpacker.finish();
        return unpacker.size;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream in) {
        try {
            return in.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidParameterException("invalid tar header: " + e.getMessage(), e);
        }
    }

    private void write(TarArchiveEntry entry, TarArchiveInputStream in) throws IOException {
        List<String> parts = clean(entry.getName());
        if (parts.isEmpty()) {
            if (entry.isDirectory()) {
                metadata(root, entry);
                directoryTimes.push(Map.entry(root, FileTime.from(entry.getLastModifiedTime().toInstant())));
            }
            return;
        }
        String base = parts.getLast();
        Path parent = parents(parts.subList(0, parts.size() - 1), entry.getName());
        if (base.equals(OPAQUE)) {
            setXattr(parent, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            return; // AUFS' own metadata (.wh..wh.plnk, .wh..wh.aufs): not part of the image
        }
        if (base.startsWith(WHITEOUT_PREFIX)) {
            String hidden = base.substring(WHITEOUT_PREFIX.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new InvalidParameterException("invalid tar header: bad whiteout " + entry.getName());
            }
            Path target = parent.resolve(hidden);
            removeExisting(target);
            Libc.mknod(target.toString(), Libc.S_IFCHR, 0);
            owner(target, 0, 0);
            return;
        }
        Path target = parent.resolve(base);
        if (entry.isDirectory()) {
            if (!Files.isDirectory(target, NOFOLLOW)) {
                removeExisting(target);
                Files.createDirectory(target);
            }
            metadata(target, entry);
            directoryTimes.push(Map.entry(target, FileTime.from(entry.getLastModifiedTime().toInstant())));
            return;
        }
        removeExisting(target);
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
            owner(target, entry.getLongUserId(), entry.getLongGroupId());
            xattrs(target, entry);
            times(target, entry);
            return;
        }
        if (entry.isLink()) {
            List<String> linked = clean(entry.getLinkName());
            if (linked.isEmpty()) {
                throw new InvalidParameterException("invalid hardlink \"" + entry.getName() + "\" -> \""
                        + entry.getLinkName() + "\"");
            }
            Path source = parents(linked.subList(0, linked.size() - 1), entry.getLinkName()).resolve(linked.getLast());
            if (!Files.exists(source, NOFOLLOW) || Files.isDirectory(source, NOFOLLOW)) {
                throw new InvalidParameterException("invalid hardlink \"" + entry.getName() + "\" -> \""
                        + entry.getLinkName() + "\": no such file in the layer");
            }
            Files.createLink(target, source);
            return;
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            int type = entry.isCharacterDevice() ? Libc.S_IFCHR : entry.isBlockDevice() ? Libc.S_IFBLK : Libc.S_IFIFO;
            Libc.mknod(target.toString(), type | 0600, Libc.makedev(entry.getDevMajor(), entry.getDevMinor()));
            metadata(target, entry);
            times(target, entry);
            return;
        }
        if (!entry.isFile()) {
            throw new InvalidParameterException("invalid tar header: unhandled entry type '"
                    + (char) entry.getLinkFlag() + "' of " + entry.getName());
        }
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long copied = StreamCopy.copy(in, out, entry.getName());
            if (copied != entry.getSize()) {
                throw new InvalidParameterException("unexpected EOF: " + entry.getName() + " has " + copied
                        + " of " + entry.getSize() + " bytes");
            }
            size += copied;
        }
        metadata(target, entry);
        times(target, entry);
    }

    /**
     * The path's components after cleaning, as Go's {@code filepath.Clean} of a path joined to
     * {@code /} would give them; a {@code ..} that climbs above the root is refused.
     */
    static List<String> clean(String name) {
        List<String> out = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (out.isEmpty()) {
                    throw new InvalidParameterException("invalid tar header: \"" + name + "\" is outside of the layer root");
                }
                out.removeLast();
                continue;
            }
            if (part.indexOf('\0') >= 0) {
                throw new InvalidParameterException("invalid tar header: NUL in name " + name.replace('\0', '?'));
            }
            out.add(part);
        }
        return out;
    }

    /** Walks (and makes, 0755 root) the parent directories, refusing anything not a real directory. */
    private Path parents(List<String> parts, String name) throws IOException {
        Path dir = root;
        for (String part : parts) {
            dir = dir.resolve(part);
            if (Files.isDirectory(dir, NOFOLLOW)) {
                continue;
            }
            if (Files.exists(dir, NOFOLLOW)) {
                throw new InvalidParameterException("invalid tar header: \"" + name + "\" goes through "
                        + root.relativize(dir) + (Files.isSymbolicLink(dir) ? ", a symbolic link" : ", not a directory"));
            }
            Files.createDirectory(dir);
            Files.setAttribute(dir, "unix:mode", 0755, NOFOLLOW);
        }
        return dir;
    }

    /** Removes what a later entry replaces (never following a symlink); a directory goes whole. */
    private static void removeExisting(Path target) throws IOException {
        if (Files.isDirectory(target, NOFOLLOW)) {
            Trees.delete(target);
        } else {
            Files.deleteIfExists(target);
        }
    }

    private void metadata(Path target, TarArchiveEntry entry) throws IOException {
        owner(target, entry.getLongUserId(), entry.getLongGroupId());
        Files.setAttribute(target, "unix:mode", entry.getMode() & 07777, NOFOLLOW);
        xattrs(target, entry);
    }

    private static void owner(Path target, long uid, long gid) throws IOException {
        if (uid < 0 || gid < 0 || uid > 0xffffffffL || gid > 0xffffffffL) {
            throw new InvalidParameterException("invalid tar header: bad owner " + uid + ":" + gid + " of " + target.getFileName());
        }
        Files.setAttribute(target, "unix:uid", (int) uid, NOFOLLOW);
        Files.setAttribute(target, "unix:gid", (int) gid, NOFOLLOW);
    }

    private static void xattrs(Path target, TarArchiveEntry entry) {
        for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
            if (header.getKey().startsWith("SCHILY.xattr.")) {
                String name = header.getKey().substring("SCHILY.xattr.".length());
                // PAX values are UTF-8 text; binary attributes (capabilities) arrive as ISO-8859-1 bytes.
                setXattr(target, name, header.getValue().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static void setXattr(Path target, String name, byte[] value) {
        try {
            Libc.lsetxattr(target.toString(), name, value);
        } catch (KernelException e) {
            // As moby: a file system without the attribute's namespace loses it, nothing else.
            if (!e.isErrno(Errno.EPERM) && !e.isErrno(95)) {
                throw e;
            }
        }
    }

    private static void times(Path target, TarArchiveEntry entry) throws IOException {
        FileTime time = FileTime.from(entry.getLastModifiedTime().toInstant());
        try {
            Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW).setTimes(time, time, null);
        } catch (UnsupportedOperationException | IOException e) {
            if (!Files.isSymbolicLink(target)) {
                throw e;
            }
        }
    }

    /** Directory times last, deepest first: entries written into a directory change its mtime. */
    private void finish() throws IOException {
        while (!directoryTimes.isEmpty()) {
            Map.Entry<Path, FileTime> dir = directoryTimes.pop();
            Files.getFileAttributeView(dir.getKey(), BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(dir.getValue(), dir.getValue(), null);
        }
    }
}
