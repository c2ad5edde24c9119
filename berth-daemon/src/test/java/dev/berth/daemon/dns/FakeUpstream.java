package dev.berth.daemon.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A DNS server for tests on 127.0.0.1 (UDP and TCP on the same port): answers each query with
 * what {@code udp} / {@code tcp} return for it (null: stay silent).
 */
final class FakeUpstream implements AutoCloseable {
    final DatagramChannel channel;
    final ServerSocket server;
    final AtomicInteger udpQueries = new AtomicInteger();
    final AtomicInteger tcpQueries = new AtomicInteger();
    private final Thread udpThread;
    private final Thread tcpThread;

    FakeUpstream(UnaryOperator<byte[]> udp, UnaryOperator<byte[]> tcp) throws IOException {
        // UDP and TCP on one port: a free UDP port may be taken for TCP (another process's
        // ephemeral port), so try fresh ports until both binds hold.
        DatagramChannel ch = null;
        ServerSocket s = null;
        IOException last = null;
        for (int attempt = 0; attempt < 50 && s == null; attempt++) {
            ch = DatagramChannel.open();
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            ServerSocket candidate = new ServerSocket();
            try {
                candidate.bind(new InetSocketAddress("127.0.0.1", port));
                s = candidate;
            } catch (IOException e) {
                last = e;
                candidate.close();
                ch.close();
            }
        }
        if (s == null) {
            throw new IOException("no port free for both UDP and TCP on 127.0.0.1", last);
        }
        channel = ch;
        server = s;
        udpThread = Thread.ofPlatform().daemon(true).start(() -> serveUdp(udp));
        tcpThread = Thread.ofPlatform().daemon(true).start(() -> serveTcp(tcp));
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    private void serveUdp(UnaryOperator<byte[]> answer) {
        ByteBuffer buf = ByteBuffer.allocate(65535);
        while (channel.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                byte[] q = new byte[buf.flip().remaining()];
                buf.get(q);
                udpQueries.incrementAndGet();
                byte[] r = answer.apply(q);
                if (r != null) {
                    channel.send(ByteBuffer.wrap(r), from);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serveTcp(UnaryOperator<byte[]> answer) {
        while (!server.isClosed()) {
            try (Socket c = server.accept()) {
                DataInputStream in = new DataInputStream(c.getInputStream());
                byte[] q = new byte[in.readUnsignedShort()];
                in.readFully(q);
                tcpQueries.incrementAndGet();
                byte[] r = answer.apply(q);
                if (r != null) {
                    DataOutputStream out = new DataOutputStream(c.getOutputStream());
                    out.writeShort(r.length);
                    out.write(r);
                    out.flush();
                }
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        server.close();
    }
}
