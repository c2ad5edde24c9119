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
 * <p>What reaches the client is a well-formed reply to its query: a broken compression pointer, a
 * count that does not match the records or trailing garbage cannot, and the reply fits the
 * client's size: over UDP 512 bytes without EDNS, else its advertised size (at least 512, at most
 * 4096, as {@link Resolver} answers local names), over TCP 65535. Two ways there:
 * <ul>
 *   <li>{@link #relaysAsIs}: a plain reply is checked from its bytes and relayed as it came (with
 *       the client's id), without dnsjava: the question is the query's (its bytes, the name
 *       case-insensitively), every name's labels and backward compression pointers stay inside
 *       the record that holds them and within 255 bytes, each record is one of the usual types
 *       (A, AAAA, CNAME, NS, PTR, DNAME, MX, SOA) with rdata of exactly its form, at most one OPT,
 *       without options or extended rcode, last section only and only when the query had one, no
 *       TC, no Z bit, no byte after the last record, and it fits the client's size. That is
 *       stricter than dnsjava's parse, so such a reply is one the second way would also relay,
 *       with the same header and records ({@code UpstreamFuzzTest} checks both ways against each
 *       other).</li>
 *   <li>{@link #check} and {@link #relay}: anything else is parsed by dnsjava and written again,
 *       as Docker's resolver sends what miekg/dns unpacked and packs again. What does not fit is
 *       left out ({@link Responses#fit}) and TC is set, so the client asks again over TCP, as
 *       dnsmasq and aardvark-dns do; an OPT record is kept only when the query had one (RFC 6891
 *       §7).</li>
 * </ul>
 *
 * <p>A query made from bytes ({@link #plain}) is read by dnsjava only when the second way needs it.
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

    private static final int TYPE_A = 1;
    private static final int TYPE_NS = 2;
    private static final int TYPE_CNAME = 5;
    private static final int TYPE_SOA = 6;
    private static final int TYPE_PTR = 12;
    private static final int TYPE_MX = 15;
    private static final int TYPE_AAAA = 28;
    private static final int TYPE_DNAME = 39;
    private static final int TYPE_OPT = 41;
    private static final int MAX_NAME = 255;

    private final byte[] wire;
    /** The query as dnsjava read it; for a {@link #plain} query read when first needed. */
    private Message query;
    private final int limit;
    private final boolean tcp;
    private final boolean edns;
    /** Where the query's question ends (after type and class) when it is one uncompressed question; else -1. */
    private final int questionEnd;

    private ForwardedQuery(byte[] wire, Message query, int limit, boolean tcp, boolean edns) {
        this.wire = wire;
        this.query = query;
        this.limit = limit;
        this.tcp = tcp;
        this.edns = edns;
        this.questionEnd = questionEnd(wire);
    }

    /**
     * A plain UDP query checked from its bytes ({@link PlainAnswers}: one uncompressed question,
     * at most a bare OPT record), not read by dnsjava.
     *
     * @param limit the most bytes the client takes ({@link Resolver#sizeLimit})
     * @param edns  whether it has an OPT record
     */
    static ForwardedQuery plain(byte[] wire, int limit, boolean edns) {
        return new ForwardedQuery(wire, null, limit, false, edns);
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
                    tcp, query.getOPT() != null);
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

    /** The query as dnsjava read it (a {@link #plain} one is read now, the first time). */
    Message message() {
        if (query == null) {
            try {
                query = new Message(wire);
            } catch (IOException e) {
                throw new IllegalStateException("a plain query dnsjava cannot read", e);
            }
        }
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
        if (!truncated && m.numBytes() != reply.length || h.getOpcode() != (wire[2] >> 3 & 0x0f)
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
        Record asked = message().getQuestion();
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
            case Rcode.BADVERS -> edns;
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
        try {
            return Responses.replyTo(message(), Rcode.SERVFAIL).toWire(limit);
        } catch (RuntimeException e) {
            return Responses.error(wire, Rcode.SERVFAIL);
        }
    }

    /**
     * Whether {@code reply} (the client's id already in it) is a plain answer to this query that
     * the client may get as it is: the first way in the class comment. False says nothing about
     * the reply: {@link #check} decides then. Reads only the bytes; never throws.
     */
    boolean relaysAsIs(byte[] reply) {
        int n = reply.length;
        if (questionEnd < 0 || n < questionEnd || n > limit || !sameId(reply)
                || (reply[2] & 0x7a) != (wire[2] & 0x78) // same opcode, no TC
                || (reply[3] & 0x40) != 0 // Z: dnsjava's copy leaves it out
                || Responses.u16(reply, 4) != 1) {
            return false;
        }
        int rcode = reply[3] & 0x0f;
        if (rcode != Rcode.NOERROR && rcode != Rcode.FORMERR && rcode != Rcode.NXDOMAIN && rcode != Rcode.NOTIMP) {
            return false;
        }
        int nameEnd = questionEnd - 4;
        for (int i = Responses.HEADER; i < questionEnd; i++) {
            byte a = reply[i];
            byte b = wire[i];
            if (a != b && (i >= nameEnd || Responses.lowerAscii(a) != Responses.lowerAscii(b))) {
                return false; // label lengths are below 'A', so folding them is harmless
            }
        }
        int answers = Responses.u16(reply, 6);
        int beforeAdditional = answers + Responses.u16(reply, 8);
        int records = beforeAdditional + Responses.u16(reply, 10);
        int p = questionEnd;
        boolean opt = false;
        for (int i = 0; i < records; i++) {
            int at = nameEnd(reply, p, n);
            if (at < 0 || at + 10 > n) {
                return false;
            }
            int rdata = at + 10;
            int end = rdata + Responses.u16(reply, at + 8);
            if (end > n) {
                return false;
            }
            boolean fits = switch (Responses.u16(reply, at)) {
                case TYPE_A -> end - rdata == 4;
                case TYPE_AAAA -> end - rdata == 16;
                case TYPE_CNAME, TYPE_NS, TYPE_PTR, TYPE_DNAME -> nameEnd(reply, rdata, end) == end;
                case TYPE_MX -> end - rdata > 2 && nameEnd(reply, rdata + 2, end) == end;
                case TYPE_SOA -> {
                    int host = nameEnd(reply, rdata, end);
                    int admin = host < 0 ? -1 : nameEnd(reply, host, end);
                    yield admin >= 0 && admin + 20 == end;
                }
                case TYPE_OPT -> {
                    boolean sane = edns && !opt && i >= beforeAdditional && at == p + 1 && reply[at + 4] == 0
                            && end == rdata;
                    opt = true;
                    yield sane; // root owner, no extended rcode, no options
                }
                default -> false;
            };
            if (!fits) {
                return false;
            }
            p = end;
        }
        return p == n;
    }

    /**
     * Where the name at {@code p} ends in place (after its zero byte, or its first pointer), when
     * the whole name, pointers followed, lies before {@code end} and fits in 255 bytes, and every
     * pointer points back, past the header; else -1.
     */
    static int nameEnd(byte[] w, int p, int end) {
        int after = -1;
        int length = 0;
        int at = p;
        while (at < end) {
            int len = w[at] & 0xff;
            if (len == 0) {
                return length + 1 > MAX_NAME ? -1 : after < 0 ? at + 1 : after;
            }
            if ((len & 0xc0) == 0xc0) {
                if (at + 1 >= end) {
                    return -1;
                }
                int target = (len & 0x3f) << 8 | (w[at + 1] & 0xff);
                if (target >= at || target < Responses.HEADER) {
                    return -1;
                }
                if (after < 0) {
                    after = at + 2;
                }
                at = target;
            } else if ((len & 0xc0) != 0) {
                return -1;
            } else {
                length += len + 1;
                if (length >= MAX_NAME || at + 1 + len > end) {
                    return -1;
                }
                at += 1 + len;
            }
        }
        return -1;
    }

    /** Where the query's only question ends when its name is uncompressed; else -1. */
    private static int questionEnd(byte[] w) {
        if (w.length < Responses.HEADER || Responses.u16(w, 4) != 1) {
            return -1;
        }
        int p = Responses.HEADER;
        while (p < w.length && p - Responses.HEADER < MAX_NAME) {
            int len = w[p] & 0xff;
            if (len == 0) {
                return p + 5 <= w.length ? p + 5 : -1;
            }
            if (len > 63) {
                return -1;
            }
            p += 1 + len;
        }
        return -1;
    }

}
