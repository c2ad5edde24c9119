package dev.berth.daemon.dns;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Builds reply messages: empty answers with an rcode, error replies from raw bytes, and the wire
 * form of a reply cut to the client's size.
 */
final class Responses {
    /** The header is 12 bytes; anything shorter cannot even be answered. */
    static final int HEADER = 12;
    /** The UDP payload size advertised in our EDNS0 OPT record. */
    static final int EDNS_PAYLOAD = 1232;

    private static final List<Byte> COPIED_FLAGS = List.of(Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD,
            Flags.CD);
    private static final List<Integer> RECORD_SECTIONS = List.of(Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL);

    private Responses() {
    }

    /** The big-endian 16-bit number at {@code b[at]}. */
    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    /** {@code b} with an ASCII capital letter made small (names compare case-insensitively); other bytes as they are. */
    static byte lowerAscii(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    /** A message with {@code from}'s id, flags, opcode and (4-bit) rcode, and no records. */
    static Message withHeaderOf(Header from) {
        Message out = new Message(from.getID());
        Header h = out.getHeader();
        for (int flag : COPIED_FLAGS) {
            if (from.getFlag(flag)) {
                h.setFlag(flag);
            }
        }
        h.setOpcode(from.getOpcode());
        h.setRcode(from.getRcode());
        return out;
    }

    /**
     * {@code reply} in wire form within {@code limit} bytes: whole when it fits; else its question,
     * its OPT record and as many of its other records as fit, in order (answer, authority,
     * additional), with TC set when an answer or authority record was left out (RFC 2181 §9: not
     * for the additional section alone). As many records as fit, not whole RRsets as dnsjava's
     * {@code toWire(max)} would: Docker truncates so too (miekg/dns {@code Msg.Truncate}), and a
     * client that uses a truncated reply as it is (older musl) still gets some addresses.
     */
    static byte[] fit(Message reply, int limit) {
        byte[] whole = reply.toWire();
        if (whole.length <= limit) {
            return whole;
        }
        List<Record> records = new ArrayList<>();
        List<Integer> sections = new ArrayList<>();
        int required = 0;
        for (int section : RECORD_SECTIONS) {
            for (Record r : reply.getSection(section)) {
                if (r.getType() != Type.OPT) {
                    records.add(r);
                    sections.add(section);
                    required += section == Section.ADDITIONAL ? 0 : 1;
                }
            }
        }
        int lo = 0;
        int hi = records.size() - 1; // the whole message does not fit: at most size-1 records do
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstRecords(reply, records, sections, mid, false).toWire().length <= limit) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        byte[] cut = firstRecords(reply, records, sections, lo, lo < required).toWire();
        return cut.length <= limit ? cut : reply.toWire(limit); // a question alone too big: dnsjava's best
    }

    private static Message firstRecords(Message reply, List<Record> records, List<Integer> sections, int n,
                                        boolean tc) {
        Message out = withHeaderOf(reply.getHeader());
        if (tc) {
            out.getHeader().setFlag(Flags.TC);
        }
        for (Record q : reply.getSection(Section.QUESTION)) {
            out.addRecord(q, Section.QUESTION);
        }
        for (int i = 0; i < n; i++) {
            out.addRecord(records.get(i), sections.get(i));
        }
        OPTRecord opt = reply.getOPT();
        if (opt != null) {
            out.addRecord(opt, Section.ADDITIONAL);
        }
        return out;
    }

    /** A reply to {@code query} with its question echoed, QR, RA, RD copied, no answers. */
    static Message replyTo(Message query, int rcode) {
        Header qh = query.getHeader();
        Message reply = new Message(qh.getID());
        Header h = reply.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.RA);
        if (qh.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        h.setOpcode(qh.getOpcode());
        h.setRcode(rcode);
        Record question = query.getQuestion();
        if (question != null) {
            reply.addRecord(question, Section.QUESTION);
        }
        if (query.getOPT() != null) {
            reply.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return reply;
    }

    /**
     * An error reply to raw query bytes: with its question when they parse, else a bare header
     * with the query's id and opcode. Null (drop it) when the bytes are shorter than a header or
     * are themselves a reply (never answer answers: that is how loops start).
     */
    static byte[] error(byte[] query, int rcode) {
        if (query.length < HEADER || (query[2] & 0x80) != 0) {
            return null;
        }
        try {
            return replyTo(new Message(query), rcode).toWire();
        } catch (IOException | RuntimeException e) {
            Message bare = new Message(((query[0] & 0xff) << 8) | (query[1] & 0xff));
            bare.getHeader().setFlag(Flags.QR);
            bare.getHeader().setOpcode((query[2] >> 3) & 0x0f);
            bare.getHeader().setRcode(rcode == Rcode.NOTIMP ? rcode : Rcode.FORMERR);
            return bare.toWire();
        }
    }
}
