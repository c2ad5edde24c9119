package dev.berth.daemon.dns;

import java.io.IOException;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A client's query on its way upstream, and what an upstream reply must be to reach the client.
 *
 * <p>A reply is the answer only when dnsjava parses it to its last byte (a truncated reply may end
 * inside a record), it has the query's id, the QR bit and the query's opcode, exactly the query's
 * question (the name compared case-insensitively, type and class), at most one OPT record, in the
 * additional section, and a sane rcode: NOERROR, FORMERR, NXDOMAIN, NOTIMP, or BADVERS to an EDNS
 * query. SERVFAIL, REFUSED and every other rcode mean "ask the next server".
 *
 * <p>The client never gets the upstream's bytes: it gets the parsed reply written again by dnsjava,
 * as Docker's resolver sends what miekg/dns unpacked and packs again. So a broken compression
 * pointer, a count that does not match the records or trailing garbage cannot reach it, and the
 * reply fits the client's size: over UDP 512 bytes without EDNS, else its advertised size (at least
 * 512, at most 4096, as {@link Resolver} answers local names), over TCP 65535. What does not fit is
 * left out ({@link Responses#fit}) and TC is set, so the client asks again over TCP, as dnsmasq
 * and aardvark-dns do; an OPT record is kept only when the query had one (RFC 6891 §7).
 */
final class ForwardedQuery {
    /** What an upstream reply is worth. */
    enum Verdict {
        /** Relay it. */
        ANSWER,
        /** TC set: ask again over TCP (or relay it, truncated, when that fails). */
        TRUNCATED,
        /** Broken, not this query's answer, or an error rcode: ask the next server. */
        FAILED
    }

    /** A checked reply: null unless the verdict is ANSWER or TRUNCATED. */
    record Checked(Verdict verdict, Message message) {
    }

    private static final Checked FAILED = new Checked(Verdict.FAILED, null);

    private final byte[] wire;
    private final Message query;
    private final int limit;
    private final boolean tcp;

    private ForwardedQuery(byte[] wire, Message query, int limit, boolean tcp) {
        this.wire = wire;
        this.query = query;
        this.limit = limit;
        this.tcp = tcp;
    }

    /**
     * @param tcp whether the client asked over TCP
     * @return null when the query itself does not parse or has no question
     */
    static ForwardedQuery of(byte[] wire, boolean tcp) {
        try {
            return of(wire, new Message(wire), tcp);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** As {@link #of(byte[], boolean)}, with {@code wire} already read into {@code query}. */
    static ForwardedQuery of(byte[] wire, Message query, boolean tcp) {
        try {
            if (query.getQuestion() == null) {
                return null;
            }
            return new ForwardedQuery(wire, query, Resolver.sizeLimit(query, tcp ? Resolver.TCP_LIMIT : Resolver.UDP_LIMIT),
                    tcp);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether the client asked over TCP. */
    boolean tcp() {
        return tcp;
    }

    /** The query's bytes, as the client sent them. */
    byte[] wire() {
        return wire;
    }

    /** The query as dnsjava read it. */
    Message message() {
        return query;
    }

    /** The most bytes the client takes in one reply. */
    int limit() {
        return limit;
    }

    /** Same id and the QR bit: a reply to this query, to be checked further; anything else is ignored. */
    boolean sameId(byte[] reply) {
        return reply.length >= Responses.HEADER && reply[0] == wire[0] && reply[1] == wire[1]
                && (reply[2] & 0x80) != 0;
    }

    /** Checks an upstream reply; never throws. */
    Checked check(byte[] reply) {
        if (!sameId(reply)) {
            return FAILED;
        }
        Message m;
        try {
            m = new Message(reply);
        } catch (IOException | RuntimeException e) {
            return FAILED;
        }
        Header h = m.getHeader();
        boolean truncated = h.getFlag(Flags.TC);
        if (!truncated && m.numBytes() != reply.length || h.getOpcode() != query.getHeader().getOpcode()
                || !sameQuestion(m) || !optIsSane(m)) {
            return FAILED;
        }
        if (truncated) {
            return new Checked(Verdict.TRUNCATED, m);
        }
        return saneRcode(m.getRcode()) ? new Checked(Verdict.ANSWER, m) : FAILED;
    }

    private boolean sameQuestion(Message reply) {
        List<Record> questions = reply.getSection(Section.QUESTION);
        if (questions.size() != 1) {
            return false;
        }
        Record asked = query.getQuestion();
        Record got = questions.getFirst();
        return got.getName().equals(asked.getName()) && got.getType() == asked.getType()
                && got.getDClass() == asked.getDClass();
    }

    private static boolean optIsSane(Message reply) {
        int opts = 0;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : reply.getSection(section)) {
                if (r.getType() == Type.OPT && (section != Section.ADDITIONAL || ++opts > 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean saneRcode(int rcode) {
        return switch (rcode) {
            case Rcode.NOERROR, Rcode.FORMERR, Rcode.NXDOMAIN, Rcode.NOTIMP -> true;
            case Rcode.BADVERS -> query.getOPT() != null;
            default -> false;
        };
    }

    /**
     * The bytes for the client: {@code reply} (checked) written again within {@link #limit}, TC set
     * when something was left out; SERVFAIL when dnsjava cannot write what it read.
     */
    byte[] relay(Message reply) {
        try {
            Message out = Responses.withHeaderOf(reply.getHeader());
            boolean edns = query.getOPT() != null;
            for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
                for (Record r : reply.getSection(section)) {
                    if (edns || r.getType() != Type.OPT) {
                        out.addRecord(r, section);
                    }
                }
            }
            byte[] bytes = Responses.fit(out, limit);
            if (bytes != null && bytes.length >= Responses.HEADER && bytes.length <= limit) {
                return bytes;
            }
        } catch (RuntimeException e) {
            // a record dnsjava read but cannot write: the client gets SERVFAIL instead
        }
        return servfail();
    }

    /** SERVFAIL to this query. */
    byte[] servfail() {
        return Responses.replyTo(query, Rcode.SERVFAIL).toWire(limit);
    }
}
