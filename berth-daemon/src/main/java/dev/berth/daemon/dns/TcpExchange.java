package dev.berth.daemon.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** One blocking DNS-over-TCP exchange (2-byte length prefix) with a timeout on every step. */
final class TcpExchange {
    private final int timeoutMillis;

    TcpExchange(Duration timeout) {
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /** The reply, or null on any failure. */
    byte[] ask(InetSocketAddress upstream, byte[] query) {
        try (Socket socket = new Socket()) {
            socket.connect(upstream, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            return reply;
        } catch (IOException e) {
            return null;
        }
    }
}
