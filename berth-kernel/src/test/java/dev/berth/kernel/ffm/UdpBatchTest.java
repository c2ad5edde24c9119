package dev.berth.kernel.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** recvmmsg/sendmmsg on a real loopback DatagramChannel's descriptor. */
class UdpBatchTest {
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    /** An IPv4 socket, as the DNS server's listeners are (an IPv6 one's senders do not fit a batch's addresses). */
    private static DatagramChannel server() throws IOException {
        DatagramChannel ch = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        ch.bind(new InetSocketAddress(LOOPBACK, 0));
        ch.configureBlocking(false);
        return ch;
    }

    private static DatagramChannel client(DatagramChannel server) throws IOException {
        DatagramChannel c = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        c.connect(server.getLocalAddress());
        c.socket().setSoTimeout(20_000);
        return c;
    }

    /** The build's test JVM exports sun.nio.ch as berthd's manifest does: the descriptor is found. */
    @Test
    void findsTheChannelsDescriptor() throws IOException {
        try (DatagramChannel ch = server()) {
            assertTrue(UdpBatch.fd(ch) > 2, "fd of a DatagramChannel");
        }
    }

    /**
     * 40 datagrams from 5 senders: read in batches of at most CAPACITY, each answered with its own
     * text reversed to its sender's address as read; every sender gets exactly its replies.
     */
    @Test
    void repliesGoToEachDatagramsSender() throws Exception {
        List<DatagramChannel> clients = new ArrayList<>();
        try (DatagramChannel server = server(); UdpBatch batch = new UdpBatch()) {
            int fd = UdpBatch.fd(server);
            for (int c = 0; c < 5; c++) {
                clients.add(client(server));
            }
            for (int k = 0; k < 8; k++) {
                for (int c = 0; c < clients.size(); c++) {
                    clients.get(c).write(ByteBuffer.wrap(("q" + c + "-" + k).getBytes(StandardCharsets.US_ASCII)));
                }
            }
            int seen = 0;
            int largest = 0;
            byte[] buf = new byte[UdpBatch.SLOT];
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (seen < 40 && System.nanoTime() < deadline) {
                int n = batch.receive(fd);
                largest = Math.max(largest, n);
                for (int i = 0; i < n; i++) {
                    assertFalse(batch.truncated(i));
                    int len = batch.copy(i, buf);
                    byte[] reply = new StringBuilder(new String(buf, 0, len, StandardCharsets.US_ASCII)).reverse()
                            .toString().getBytes(StandardCharsets.US_ASCII);
                    assertTrue(batch.reply(i, reply, reply.length));
                    assertEquals(clients.get(Integer.parseInt(new String(buf, 1, 1, StandardCharsets.US_ASCII)))
                            .getLocalAddress(), batch.sender(i));
                }
                assertEquals(n, batch.flush(fd));
                seen += n;
            }
            assertEquals(40, seen);
            assertEquals(UdpBatch.CAPACITY, largest, "40 waiting datagrams: the first read takes a full batch");
            for (int c = 0; c < clients.size(); c++) {
                Map<String, Integer> got = new HashMap<>();
                for (int k = 0; k < 8; k++) {
                    var p = new java.net.DatagramPacket(new byte[64], 64);
                    clients.get(c).socket().receive(p);
                    got.merge(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII), 1, Integer::sum);
                }
                for (int k = 0; k < 8; k++) {
                    assertEquals(1, got.get(new StringBuilder("q" + c + "-" + k).reverse().toString()), got::toString);
                }
            }
            assertEquals(0, batch.receive(fd), "nothing left: EAGAIN reads as 0");
        } finally {
            for (DatagramChannel c : clients) {
                c.close();
            }
        }
    }

    @Test
    void aDatagramLongerThanASlotIsMarkedAndAReplyTooLongIsRefused() throws Exception {
        try (DatagramChannel server = server(); DatagramChannel client = client(server); UdpBatch batch = new UdpBatch()) {
            int fd = UdpBatch.fd(server);
            client.write(ByteBuffer.wrap(new byte[UdpBatch.SLOT + 100]));
            client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            int n = 0;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (n == 0 && System.nanoTime() < deadline) {
                n = batch.receive(fd);
            }
            assertTrue(batch.truncated(0));
            assertEquals(UdpBatch.SLOT, batch.length(0));
            int small = 1;
            if (n == 1) {
                while (batch.receive(fd) == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                small = 0;
            }
            assertFalse(batch.truncated(small));
            assertEquals(3, batch.length(small));
            assertFalse(batch.reply(0, new byte[UdpBatch.SLOT + 1], UdpBatch.SLOT + 1));
            assertEquals(0, batch.flush(fd));
        }
    }

    /**
     * A client's batch: datagrams queued for a connected socket go to its peer with one sendmmsg,
     * in order; a batch of another capacity and slot size reads them, a datagram over its slot
     * marked truncated and the next one read into the same entry not.
     */
    @Test
    void queuedDatagramsGoToTheConnectedPeerAndCapacityAndSlotAreTheCallers() throws Exception {
        try (DatagramChannel server = server(); DatagramChannel client = client(server);
             UdpBatch out = UdpBatch.connected(64, 512); UdpBatch in = new UdpBatch(4, 64)) {
            int clientFd = UdpBatch.fd(client);
            int serverFd = UdpBatch.fd(server);
            assertEquals(64, out.capacity());
            for (int i = 0; i < 10; i++) {
                byte[] d = ("d" + i).getBytes(StandardCharsets.US_ASCII);
                assertTrue(out.queue(d, d.length));
            }
            assertFalse(out.queue(new byte[513], 513), "over the slot");
            assertEquals(10, out.send(clientFd));
            assertEquals(0, out.send(clientFd), "nothing queued");
            List<String> got = new ArrayList<>();
            byte[] buf = new byte[64];
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (got.size() < 10 && System.nanoTime() < deadline) {
                int n = in.receive(serverFd);
                assertTrue(n <= 4, "at most the batch's capacity");
                for (int i = 0; i < n; i++) {
                    assertFalse(in.truncated(i));
                    assertEquals(client.getLocalAddress(), in.sender(i));
                    got.add(new String(buf, 0, in.copy(i, buf), StandardCharsets.US_ASCII));
                }
            }
            assertEquals(List.of("d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"), got);

            assertTrue(out.queue(new byte[100], 100));
            assertEquals(1, out.send(clientFd));
            while (in.receive(serverFd) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(in.truncated(0));
            assertEquals(64, in.length(0));
            assertTrue(out.queue(new byte[] {7}, 1));
            assertEquals(1, out.send(clientFd));
            while (in.receive(serverFd) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertFalse(in.truncated(0), "the entry is reset for the next read");
            assertEquals(1, in.length(0));
        }
    }

    /**
     * A client on Libc's own calls (the bench's DnsLoad): a non-blocking socket connected to
     * {@link Libc#inetAddress}, queries sent with {@link UdpBatch#send}, answered with
     * {@link UdpBatch#reply}; {@link Libc#ppoll} times out while nothing waits and reports the
     * socket readable once the answer is there.
     */
    @Test
    void aClientOnLibcsSocketConnectAndPpoll() throws Exception {
        try (DatagramChannel server = server(); UdpBatch batch = new UdpBatch(8, 512);
             UdpBatch client = UdpBatch.connected(8, 512);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            try {
                InetSocketAddress to = (InetSocketAddress) server.getLocalAddress();
                Libc.connect(fd, Libc.inetAddress(arena, (java.net.Inet4Address) to.getAddress(), to.getPort()));
                java.lang.foreign.MemorySegment pfd = arena.allocate(Libc.POLLFD_SIZE, 4);
                pfd.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, fd);
                pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
                java.lang.foreign.MemorySegment tenMillis = arena.allocate(16, 8);
                tenMillis.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, 10_000_000L);
                assertEquals(0, Libc.ppoll(pfd, 1, tenMillis), "nothing to read: the timeout");

                byte[] q = {'q', '1'};
                assertTrue(client.queue(q, q.length));
                assertEquals(1, client.send(fd));
                int serverFd = UdpBatch.fd(server);
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (batch.receive(serverFd) == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                byte[] a = {'a', '1'};
                assertTrue(batch.reply(0, a, a.length));
                assertEquals(1, batch.flush(serverFd));

                java.lang.foreign.MemorySegment twentySeconds = arena.allocate(16, 8);
                twentySeconds.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 20L);
                assertEquals(1, Libc.ppoll(pfd, 1, twentySeconds));
                assertEquals(1, client.receive(fd));
                assertFalse(client.truncated(0));
                byte[] buf = new byte[8];
                assertEquals("a1", new String(buf, 0, client.copy(0, buf), StandardCharsets.US_ASCII));
                assertThrows(IllegalStateException.class, () -> client.sender(0), "read without senders");
            } finally {
                Libc.close(fd);
            }
        }
    }
}
