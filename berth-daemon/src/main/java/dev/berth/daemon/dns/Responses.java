package dev.berth.daemon.dns;

import java.io.IOException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Builds reply messages: empty answers with an rcode, and error replies from raw bytes. */
final class Responses {
    /** The header is 12 bytes; anything shorter cannot even be answered. */
    static final int HEADER = 12;
    /** The UDP payload size advertised in our EDNS0 OPT record. */
    static final int EDNS_PAYLOAD = 1232;

    private Responses() {
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
