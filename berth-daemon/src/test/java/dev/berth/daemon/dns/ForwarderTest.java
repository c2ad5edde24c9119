package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.parse;
import static dev.berth.daemon.dns.Tables.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ForwarderTest {
    /**
     * Per-attempt timeout where every server asked answers: never reached, so a slow machine (a
     * loaded CI runner) cannot turn an answer into a timeout; it costs nothing.
     */
    private static final Duration ANSWERED = Duration.ofSeconds(5);
    /**
     * Where a silent server is waited out before one that must answer: the test takes this long,
     * and the answer must come within it.
     */
    private static final Duration WAITED_OUT = Duration.ofSeconds(2);
    /** Where a timeout ends in SERVFAIL whatever else happens: short, so the test is quick. */
    private static final Duration SHORT = Duration.ofMillis(300);

    static byte[] answer(byte[] q, int rcode, String address, boolean tc) {
        Message query = parse(q);
        Message r = Responses.replyTo(query, rcode);
        if (address != null) {
            r.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60, InetAddress.ofLiteral(address)),
                    Section.ANSWER);
        }
        if (tc) {
            r.getHeader().setFlag(Flags.TC);
        }
        return r.toWire();
    }

    private static Message ask(Forwarder f, boolean tcp) throws Exception {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        f.forward(query("example.com.", Type.A), tcp, reply::complete);
        return parse(reply.get(10, TimeUnit.SECONDS));
    }

    private static Forwarder start(Duration timeout, int max, InetSocketAddress... upstreams) {
        Forwarder f = new Forwarder(new Forwarder.Settings(List.of(upstreams), timeout, max));
        f.start();
        return f;
    }

    @Test
    void answerAndNxdomainPassThrough() throws Exception {
        try (FakeUpstream ok = new FakeUpstream(q -> answer(q, Rcode.NOERROR, "192.0.2.7", false), q -> null);
             FakeUpstream nx = new FakeUpstream(q -> answer(q, Rcode.NXDOMAIN, null, false), q -> null)) {
            try (Forwarder f = start(ANSWERED, 1024, ok.address())) {
                Message m = ask(f, false);
                assertEquals("192.0.2.7", m.getSection(Section.ANSWER).getFirst().rdataToString());
                assertEquals(0, f.inFlight());
            }
            try (Forwarder f = start(ANSWERED, 1024, nx.address(), ok.address())) {
                assertEquals(Rcode.NXDOMAIN, ask(f, false).getRcode());
                assertEquals(1, ok.udpQueries.get(), "only the first query reached the second server");
            }
        }
    }

    @Test
    void skipsSilentAndServfailingServers() throws Exception {
        try (FakeUpstream silent = new FakeUpstream(q -> null, q -> null);
             FakeUpstream broken = new FakeUpstream(q -> answer(q, Rcode.SERVFAIL, null, false), q -> null);
             FakeUpstream ok = new FakeUpstream(q -> answer(q, Rcode.NOERROR, "192.0.2.8", false), q -> null);
             Forwarder f = start(WAITED_OUT, 1024, silent.address(), broken.address(), ok.address())) {
            Message m = ask(f, false);
            assertEquals("192.0.2.8", m.getSection(Section.ANSWER).getFirst().rdataToString());
            assertEquals(1, silent.udpQueries.get());
            assertEquals(1, broken.udpQueries.get());
        }
    }

    @Test
    void servfailWhenAllFailOrNoUpstream() throws Exception {
        try (FakeUpstream silent = new FakeUpstream(q -> null, q -> null);
             FakeUpstream refusing = new FakeUpstream(q -> answer(q, Rcode.REFUSED, null, false), q -> null);
             Forwarder f = start(SHORT, 1024, silent.address(), refusing.address());
             Forwarder none = start(SHORT, 1024)) {
            assertEquals(Rcode.SERVFAIL, ask(f, false).getRcode());
            assertEquals(Rcode.SERVFAIL, ask(none, false).getRcode());
            assertEquals(0, f.inFlight());
        }
    }

    @Test
    void truncatedUdpIsRetriedOverTcp() throws Exception {
        try (FakeUpstream up = new FakeUpstream(q -> answer(q, Rcode.NOERROR, null, true),
                q -> answer(q, Rcode.NOERROR, "192.0.2.9", false));
             Forwarder f = start(ANSWERED, 1024, up.address())) {
            Message m = ask(f, false);
            assertEquals("192.0.2.9", m.getSection(Section.ANSWER).getFirst().rdataToString());
            assertEquals(1, up.tcpQueries.get());
            assertEquals("192.0.2.9", ask(f, true).getSection(Section.ANSWER).getFirst().rdataToString());
        }
    }

    @Test
    void refusedBeyondTheInFlightLimit() throws Exception {
        try (FakeUpstream silent = new FakeUpstream(q -> null, q -> null);
             Forwarder f = start(Duration.ofMinutes(5), 3, silent.address())) { // in flight until closed
            for (int i = 0; i < 3; i++) {
                f.forward(query("x" + i + ".example.", Type.A), false, r -> { });
            }
            assertEquals(3, f.inFlight());
            assertEquals(Rcode.REFUSED, ask(f, false).getRcode());
        }
    }

    @Test
    void upstreamsFromConfigElseResolvConf() {
        String conf = "# c\nnameserver 127.0.0.53\nnameserver 127.0.0.11\nnameserver not-an-address\n"
                + "nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\n";
        assertEquals(List.of("127.0.0.53", "192.0.2.1", "192.0.2.2"),
                Upstreams.of(List.of(), conf).stream().map(a -> a.getAddress().getHostAddress()).toList());
        assertEquals(List.of(new InetSocketAddress(InetAddress.ofLiteral("198.51.100.1"), 53)),
                Upstreams.of(List.of("198.51.100.1"), conf));
    }
}
