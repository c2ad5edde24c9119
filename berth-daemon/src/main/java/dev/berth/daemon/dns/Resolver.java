package dev.berth.daemon.dns;

import dev.berth.core.model.SandboxId;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The answer rules of Docker's embedded DNS server (behavior reference §4.4–4.5), as a function
 * of the query bytes, the asking sandbox and the current {@link NameTable}: local names get A,
 * AAAA and PTR answers with TTL 600, shuffled; a known name without the asked family gets an
 * empty NOERROR; everything else is to be forwarded, or SERVFAIL when the sandbox may not forward.
 * Stateless and thread-safe; never throws on any input.
 */
public final class Resolver {
    /** TTL of every local answer, as Docker. */
    public static final long TTL = 600;
    /** Reply size limit over UDP without EDNS0. */
    public static final int UDP_LIMIT = 512;
    /** Reply size limit over TCP. */
    public static final int TCP_LIMIT = 65535;

    /** What to do with one query. */
    public sealed interface Outcome {
    }

    /** Send these bytes back. */
    public record Reply(byte[] wire) implements Outcome {
    }

    /** Send the query upstream and relay the reply; {@code message} is the query as read here. */
    public record Forward(byte[] query, Message message) implements Outcome {
    }

    /** Send nothing (too short to answer, or not a query at all). */
    public record Drop() implements Outcome {
    }

    private static final Drop DROP = new Drop();

    /**
     * Decides the answer to {@code query} from {@code sandbox}.
     *
     * @param limit the transport's size limit: {@link #UDP_LIMIT} (raised by the client's EDNS0
     *              size) or {@link #TCP_LIMIT}
     */
    public Outcome resolve(byte[] query, SandboxId sandbox, NameTable table, int limit) {
        if (query.length < Responses.HEADER || (query[2] & 0x80) != 0) {
            return DROP;
        }
        Message message;
        try {
            message = new Message(query);
        } catch (IOException | RuntimeException e) {
            return reply(Responses.error(query, Rcode.FORMERR));
        }
        try {
            return decide(message, query, sandbox, table, limit);
        } catch (RuntimeException e) {
            // A record dnsjava parsed but cannot handle further: answer, never crash the server.
            return reply(Responses.error(query, Rcode.SERVFAIL));
        }
    }

    private Outcome decide(Message query, byte[] raw, SandboxId sandbox, NameTable table, int limit) {
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return reply(Responses.replyTo(query, Rcode.NOTIMP).toWire());
        }
        if (query.getHeader().getCount(Section.QUESTION) != 1) {
            return reply(Responses.replyTo(query, Rcode.FORMERR).toWire());
        }
        Record question = query.getQuestion();
        int max = sizeLimit(query, limit);
        if (question.getDClass() == DClass.IN) {
            String name = question.getName().toString(true).toLowerCase(Locale.ROOT);
            Optional<Message> local = switch (question.getType()) {
                case Type.A, Type.AAAA -> address(query, question, table.lookup(sandbox, name));
                case Type.MX -> table.lookup(sandbox, name).map(found -> Responses.replyTo(query, Rcode.NOERROR));
                case Type.PTR -> pointer(query, question, sandbox, table, name);
                default -> Optional.empty();
            };
            if (local.isPresent()) {
                return reply(Responses.fit(local.get(), max));
            }
        }
        if (!table.mayForward(sandbox)) {
            return reply(Responses.replyTo(query, Rcode.SERVFAIL).toWire(max));
        }
        return new Forward(raw, query);
    }

    private static Optional<Message> address(Message query, Record question, Optional<NameTable.Addresses> found) {
        if (found.isEmpty()) {
            return Optional.empty();
        }
        boolean v4 = question.getType() == Type.A;
        List<InetAddress> addresses = new ArrayList<>(v4 ? found.get().ipv4() : found.get().ipv6());
        Collections.shuffle(addresses, ThreadLocalRandom.current());
        Message reply = Responses.replyTo(query, Rcode.NOERROR);
        Name name = question.getName();
        for (InetAddress a : addresses) {
            Record r = v4 ? new ARecord(name, DClass.IN, TTL, a) : new AAAARecord(name, DClass.IN, TTL, a);
            reply.addRecord(r, Section.ANSWER);
        }
        return Optional.of(reply);
    }

    private static Optional<Message> pointer(Message query, Record question, SandboxId sandbox, NameTable table,
                                             String name) {
        Optional<String> target = ReverseName.parse(name).flatMap(a -> table.reverse(sandbox, a));
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Message reply = Responses.replyTo(query, Rcode.NOERROR);
        try {
            reply.addRecord(new PTRRecord(question.getName(), DClass.IN, TTL, Name.fromString(target.get())),
                    Section.ANSWER);
        } catch (TextParseException e) {
            return Optional.empty();
        }
        return Optional.of(reply);
    }

    /**
     * The most bytes the client takes in one reply: over TCP ({@code limit} above 512) the
     * transport's limit; over UDP 512, or the client's EDNS0 size (at least 512, at most 4096).
     */
    static int sizeLimit(Message query, int limit) {
        if (limit > UDP_LIMIT) {
            return limit;
        }
        OPTRecord opt = query.getOPT();
        return opt == null ? UDP_LIMIT : Math.min(Math.max(opt.getPayloadSize(), UDP_LIMIT), 4096);
    }

    private static Outcome reply(byte[] wire) {
        return wire == null ? DROP : new Reply(wire);
    }
}
