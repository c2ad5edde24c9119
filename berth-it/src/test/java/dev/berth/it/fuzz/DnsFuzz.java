package dev.berth.it.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A DNS client run as its own process inside a sandbox's network namespace (the test JVM cannot
 * enter one): {@code fuzz} sends generated and mutated packets to 127.0.0.11 over UDP and TCP
 * and, every few hundred, a valid query whose answer must come back; {@code probe} only asks the
 * valid query in a loop until a stop file appears. Prints one {@code FUZZ-DNS} or
 * {@code DNS-PROBE} line of figures.
 *
 * <pre>
 * java -cp test-classes dev.berth.it.fuzz.DnsFuzz fuzz PACKETS SEED NAME ADDRESS
 * java -cp test-classes dev.berth.it.fuzz.DnsFuzz probe STOPFILE NAME ADDRESS
 * </pre>
 */
public final class DnsFuzz {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.11", 53);
    private static final int PROBE_EVERY = 500;

    private final SplittableRandom random;
    private final String name;
    private final byte[] expected;
    private final List<byte[]> seeds;
    private long probes;
    private long probeFailures;
    private long probeRetries;
    private long maxProbeMs;

    private DnsFuzz(long seed, String name, String address) throws IOException {
        this.random = new SplittableRandom(seed);
        this.name = name;
        this.expected = InetAddress.getByName(address).getAddress();
        this.seeds = List.of(query(name, 1, false), query(name, 28, true), query(name + ".fz-dns", 1, false),
                query("2.0.77.10.in-addr.arpa", 12, false), query("ext.example", 1, true), query(name, 255, false),
                query(name, 16, true), query("", 2, false), query(name, 252, false));
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("fuzz")) {
            DnsFuzz fuzz = new DnsFuzz(Long.parseLong(args[2]), args[3], args[4]);
            fuzz.fuzz(Long.parseLong(args[1]));
        } else {
            DnsFuzz probe = new DnsFuzz(1, args[2], args[3]);
            probe.probeUntil(Path.of(args[1]));
        }
    }

    private void fuzz(long packets) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long udp = 0, tcp = 0, replies = 0;
        ByteBuffer in = ByteBuffer.allocate(65536);
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.configureBlocking(false);
            channel.connect(SERVER);
            for (long i = 0; i < packets; i++) {
                if (i % PROBE_EVERY == 0) {
                    probe();
                }
                if (random.nextInt(1000) == 0) {
                    tcp += tcpSession();
                    continue;
                }
                try {
                    channel.write(ByteBuffer.wrap(packet()));
                } catch (IOException e) {
                    // ECONNREFUSED from an earlier ICMP error, or a packet over 65507 bytes: keep going
                }
                udp++;
                for (in.clear(); readQuietly(channel, in) > 0; in.clear()) {
                    replies++;
                }
                if (i % 64 == 0) {
                    Thread.sleep(0, 200_000); // ~ a few 10^4 packets/s: a flood, but not only a socket-buffer test
                }
            }
        }
        probe();
        System.out.printf("FUZZ-DNS packets=%d udp=%d tcp-messages=%d udp-replies=%d probes=%d probe-failures=%d "
                        + "probe-retries=%d max-probe-ms=%d seconds=%.0f%n", udp + tcp, udp, tcp, replies, probes,
                probeFailures, probeRetries, maxProbeMs, (System.nanoTime() - start) / 1e9);
    }

    private void probeUntil(Path stop) throws IOException {
        long start = System.nanoTime();
        while (!Files.exists(stop)) {
            probe();
        }
        System.out.printf("DNS-PROBE probes=%d failures=%d retries=%d max-ms=%d seconds=%.0f%n", probes, probeFailures,
                probeRetries, maxProbeMs, (System.nanoTime() - start) / 1e9);
    }

    private static int readQuietly(DatagramChannel channel, ByteBuffer in) {
        try {
            return channel.read(in);
        } catch (IOException e) {
            return 0;
        }
    }

    /** A valid A query for the target; its answer must carry the expected address (3 tries, 1 s each). */
    private void probe() throws IOException {
        probes++;
        long t0 = System.nanoTime();
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(SERVER);
            channel.socket().setSoTimeout(1000);
            for (int attempt = 0; attempt < 3; attempt++) {
                byte[] q = query(name, 1, false);
                channel.write(ByteBuffer.wrap(q));
                byte[] reply = new byte[4096];
                java.net.DatagramPacket packet = new java.net.DatagramPacket(reply, reply.length);
                try {
                    channel.socket().receive(packet);
                } catch (SocketTimeoutException e) {
                    probeRetries++;
                    continue;
                }
                byte[] got = Arrays.copyOf(reply, packet.getLength());
                if (got.length > 12 && got[0] == q[0] && got[1] == q[1] && (got[3] & 0x0f) == 0
                        && contains(got, expected)) {
                    maxProbeMs = Math.max(maxProbeMs, (System.nanoTime() - t0) / 1_000_000);
                    return;
                }
                probeRetries++;
            }
        }
        probeFailures++;
    }

    /** A TCP connection with a few length-prefixed messages, some mutated, some cut short. */
    private int tcpSession() {
        int sent = 0;
        try (Socket socket = new Socket()) {
            socket.connect(SERVER, 1000);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            for (int i = random.nextInt(1, 6); i > 0; i--) {
                byte[] p = packet();
                int length = random.nextInt(10) == 0 ? random.nextInt(65536) : p.length;
                out.write(new byte[] {(byte) (length >> 8), (byte) length});
                out.write(p, 0, Math.min(p.length, random.nextInt(8) == 0 ? random.nextInt(p.length + 1) : p.length));
                sent++;
            }
            out.flush();
            socket.getInputStream().read(new byte[4096]);
        } catch (IOException e) {
            // closed or timed out: the server may drop a connection with garbage on it
        }
        return sent;
    }

    /** Noise, a mutated valid query, or a query with a hostile structure. */
    private byte[] packet() {
        int roll = random.nextInt(100);
        if (roll < 25) {
            byte[] noise = new byte[random.nextInt(0, random.nextInt(20) == 0 ? 70_000 : 600)];
            random.nextBytes(noise);
            return noise;
        }
        if (roll < 40) {
            return hostile();
        }
        byte[] p = seeds.get(random.nextInt(seeds.size())).clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int i = random.nextInt(1, 6); i > 0; i--) {
                    p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> p = Arrays.copyOf(p, random.nextInt(p.length));
            case 2 -> {
                p = Arrays.copyOf(p, p.length + random.nextInt(1, 64));
                for (int i = 0; i < 8; i++) {
                    p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                }
            }
            case 3 -> {
                p[4 + 2 * random.nextInt(4) + 1] = (byte) random.nextInt(256);
                p[2] = (byte) (random.nextInt(256) & 0x7f);
            }
            default -> p[2] = (byte) random.nextInt(256); // QR, opcode, AA, TC, RD bits
        }
        return p;
    }

    private byte[] hostile() {
        ByteBuffer b = ByteBuffer.allocate(70_000);
        b.putShort((short) random.nextInt(65536)).putShort((short) 0x0100);
        int kind = random.nextInt(7);
        b.putShort((short) (kind == 3 ? 65535 : 1)).putShort((short) 0).putShort((short) 0)
                .putShort((short) (kind == 5 ? 2 : kind == 6 ? 1 : 0));
        switch (kind) {
            case 0 -> b.put(new byte[] {(byte) 0xc0, 12}); // a pointer to itself
            case 1 -> b.put((byte) 64).put(new byte[64]).put((byte) 0); // label longer than 63
            case 2 -> {
                for (int i = 0; i < 60; i++) {
                    b.put((byte) 10).put("aaaaaaaaaa".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                b.put((byte) 0); // a name of 660 bytes
            }
            case 3 -> b.put((byte) 0); // 65535 questions announced, one sent
            case 4 -> b.put((byte) 0x80).put((byte) 1); // reserved label type
            default -> b.put((byte) 1).put((byte) 'x').put((byte) 0);
        }
        b.putShort((short) pick(new int[] {1, 28, 12, 255, 252, 251, 41, 0, 65535}))
                .putShort((short) pick(new int[] {1, 3, 255, 254, 0}));
        if (kind >= 5) {
            for (int i = kind == 5 ? 2 : 1; i > 0; i--) { // OPT records: two of them, or odd sizes and versions
                b.put((byte) 0).putShort((short) 41).putShort((short) pick(new int[] {0, 1, 512, 4096, 65535}))
                        .put((byte) 0).put((byte) random.nextInt(3)).putShort((short) (random.nextBoolean() ? 0x8000 : 0))
                        .putShort((short) 0);
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private byte[] query(String qname, int type, boolean edns) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) random.nextInt(65536)).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) (edns ? 1 : 0));
        for (String label : qname.isEmpty() ? new String[0] : qname.split("\\.")) {
            byte[] bytes = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            b.put((byte) bytes.length).put(bytes);
        }
        b.put((byte) 0).putShort((short) type).putShort((short) 1);
        if (edns) {
            b.put((byte) 0).putShort((short) 41).putShort((short) 1232).putInt(0).putShort((short) 0);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static boolean contains(byte[] data, byte[] needle) {
        for (int i = 0; i + needle.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private int pick(int[] values) {
        return values[random.nextInt(values.length)];
    }
}
