package dev.berth.daemon.dns;

import dev.berth.core.model.SandboxId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One client connection to a TCP listener: messages with a 2-byte length prefix both ways.
 * Reading, writing and closing happen on the server's selector thread only; replies computed
 * elsewhere (forwarded queries) arrive through {@link #offer}.
 */
final class TcpConnection {
    private final SandboxId sandbox;
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(2 + 65535);
    private final Queue<ByteBuffer> out = new ArrayDeque<>();
    private final Queue<byte[]> offered = new ConcurrentLinkedQueue<>();
    private SelectionKey key;
    long lastActive;

    TcpConnection(SandboxId sandbox, SocketChannel channel, long now) {
        this.sandbox = sandbox;
        this.channel = channel;
        this.lastActive = now;
    }

    SandboxId sandbox() {
        return sandbox;
    }

    SocketChannel channel() {
        return channel;
    }

    void key(SelectionKey key) {
        this.key = key;
    }

    /**
     * Reads what is available; returns the complete messages, in order, or null when the peer
     * closed (or sent a zero-length message) and the connection is to be closed.
     */
    java.util.List<byte[]> read() throws IOException {
        int n = channel.read(in);
        if (n < 0) {
            return null;
        }
        java.util.List<byte[]> messages = new java.util.ArrayList<>();
        in.flip();
        while (in.remaining() >= 2) {
            int length = ((in.get(in.position()) & 0xff) << 8) | (in.get(in.position() + 1) & 0xff);
            if (length == 0) {
                return null;
            }
            if (in.remaining() < 2 + length) {
                break;
            }
            in.position(in.position() + 2);
            byte[] message = new byte[length];
            in.get(message);
            messages.add(message);
        }
        in.compact();
        return messages;
    }

    /** Queues a reply from any thread; the selector thread sends it after {@link #drainOffered}. */
    void offer(byte[] reply) {
        offered.add(reply);
    }

    /** Moves offered replies to the write queue (selector thread). */
    void drainOffered() throws IOException {
        for (byte[] r; (r = offered.poll()) != null; ) {
            queue(r);
        }
    }

    /** Queues a reply and writes what the socket takes now (selector thread). */
    void queue(byte[] reply) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(2 + reply.length);
        frame.putShort((short) reply.length).put(reply).flip();
        out.add(frame);
        flush();
    }

    /** Writes queued replies until the socket is full; asks for OP_WRITE while some remain. */
    void flush() throws IOException {
        while (!out.isEmpty()) {
            ByteBuffer head = out.peek();
            channel.write(head);
            if (head.hasRemaining()) {
                break;
            }
            out.poll();
        }
        if (key != null && key.isValid()) {
            key.interestOps(out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the client is gone either way
        }
    }
}
