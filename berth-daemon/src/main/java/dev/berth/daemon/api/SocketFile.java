package dev.berth.daemon.api;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.UnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The socket's path on disk: clearing a stale file left by a crashed daemon, refusing to steal a
 * live one, and setting its group and permissions after bind.
 *
 * @param path where the socket lives
 */
record SocketFile(Path path) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /**
     * Creates the parent directories and removes a socket nobody answers on. Throws when another
     * process accepts connections there, or when the path is something other than a socket.
     */
    void prepare() {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFSOCK) {
                throw new InternalException("listen on " + path + ": the path exists and is not a socket");
            }
            if (answers()) {
                throw new UnavailableException("listen on " + path + ": another daemon is listening there");
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("prepare socket " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code rw-rw----} and the given group: the owner and that group may connect. The group
     * changes first: until the chmod the socket has the umask's mode (0755 under the daemon's 022),
     * which lets nobody else connect, since connecting needs write permission.
     */
    void restrictPermissions(SocketGroup group) {
        try {
            if (group.group().isPresent()) {
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setGroup(group.group().get());
            }
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException e) {
            throw new UncheckedIOException("chgrp and chmod 0660 " + path + ": " + e.getMessage(), e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("delete socket " + path + ": " + e.getMessage(), e);
        }
    }

    private boolean answers() {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
