package dev.berth.daemon.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads a k8s-file log ({@link K8sLog}) from where it stopped, for {@code logs --follow}: whole
 * lines only (a line conmon is still writing waits for the next read). The file stays open
 * between reads, so when it is renamed away (a rotation) or replaced (conmon's
 * {@code --log-size-max} truncation renames a fresh file over it) what was written to the old
 * file is read to its end before the new file is read from its start.
 */
final class K8sLogReader implements AutoCloseable {
    private final Path file;
    private FileChannel channel;
    private Object inode;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    K8sLogReader(Path file) {
        this.file = file;
    }

    /** Delivers every whole line written since the last call. */
    void readAvailable(Consumer<ContainerIo.LogEntry> sink) throws IOException {
        if (channel == null && !open()) {
            return;
        }
        drain(sink);
        Object now = currentInode();
        if (now != null && !now.equals(inode)) {
            // replaced or rotated: the old file is read to its end above; the new one from its start
            close();
            if (open()) {
                drain(sink);
            }
        } else if (channel.size() < channel.position()) {
            channel.position(0); // truncated in place
            partial.reset();
            drain(sink);
        }
    }

    private boolean open() throws IOException {
        try {
            channel = FileChannel.open(file);
            inode = Files.getAttribute(file, "unix:ino");
            partial.reset();
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private Object currentInode() throws IOException {
        try {
            return Files.getAttribute(file, "unix:ino");
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void drain(Consumer<ContainerIo.LogEntry> sink) throws IOException {
        int n;
        while ((n = channel.read(buffer.clear())) > 0) {
            byte[] bytes = buffer.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    partial.write(bytes, start, i - start);
                    byte[] line = partial.toByteArray();
                    partial.reset();
                    K8sLog.parse(line, 0, line.length).ifPresent(sink);
                    start = i + 1;
                }
            }
            partial.write(bytes, start, n - start);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
