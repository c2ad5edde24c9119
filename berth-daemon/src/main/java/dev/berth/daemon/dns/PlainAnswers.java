package dev.berth.daemon.dns;

import dev.berth.core.model.SandboxId;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hot path of the embedded DNS: a plain {@code A} or {@code AAAA} question for a name the
 * sandbox knows, answered straight from the query bytes into a caller's buffer, without dnsjava.
 * Everything else (another type or class, a name not in the table, compression pointers or
 * unusual characters in the question, other sections, an OPT record with options, an answer that
 * would not fit) returns {@link #SLOW}, and the caller goes
 * through the {@link Resolver}, whose rules this class repeats for the cases it takes: the
 * question echoed verbatim, QR + RA + the query's RD, TTL {@value Resolver#TTL}, the addresses
 * shuffled, an empty NOERROR for a name without the asked family, an OPT record advertising
 * {@value Responses#EDNS_PAYLOAD} bytes when the query had one. The reply is byte for byte what
 * the resolver would send for the same address order ({@code PlainAnswersTest}).
 *
 * <p>Per query it allocates nothing once warm: the looked-up name comes from a small cache of
 * recent names, and the address bytes are cached by the identity of the immutable address list
 * they came from. That stays right whether the table is swapped or changed in place, as long as a
 * name's {@link NameTable.Addresses} are replaced and never changed; the cache is bounded and is
 * dropped when another table instance comes. A name that was not local is remembered with the
 * table's {@link NameTable#version}, so asking it again (a name that is forwarded, or NXDOMAIN)
 * skips the table until the table changes.
 */
final class PlainAnswers {
    /**
     * {@code name} (the instance in {@link #names}) was not local for {@code sandbox} (the
     * listener's instance) in {@link #cachesOf} at {@code version}, and the sandbox may forward or not.
     */
    private record Miss(String name, SandboxId sandbox, int version, boolean forward) {
    }

    /** "Not mine: use the resolver." */
    static final int SLOW = -1;
    /**
     * "Not a local name": a plain question the resolver would forward (the sandbox may); its
     * cache key is in {@link #key()}, so the caller can look for a cached answer before the
     * resolver. A sandbox that may not forward gets {@link #SLOW}: the resolver's SERVFAIL.
     */
    static final int NOT_LOCAL = -2;
    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;
    private static final int TYPE_OPT = 41;
    private static final int CLASS_IN = 1;
    private static final int MAX_NAME = 255;
    /** An answer record without its rdata: pointer to the question name, type, class, TTL, rdlength. */
    private static final int RR_FIXED = 12;
    /** Root name, type OPT, class = payload, TTL 0, rdlength 0. */
    private static final int OPT_SIZE = 11;

    private static final int NAME_CACHE = 1024;
    private static final int MAX_CACHED_FAMILIES = 8192;

    private final char[] name = new char[MAX_NAME];
    private int chars;
    private int hash;
    /** Recently asked names by hash of their characters: a hit costs no allocation. */
    private final String[] names = new String[NAME_CACHE];
    /** The slot of the last {@link #name()}. */
    private int slot;
    /**
     * Per slot of {@link #names}: the last time that name was not local, so that asking it again
     * (the names that are forwarded, NXDOMAIN) skips the table while the table has not changed.
     */
    private final Miss[] misses = new Miss[NAME_CACHE];
    /** The bytes of each immutable address list seen (InetAddress.getAddress copies on every call). */
    private final Map<List<InetAddress>, byte[][]> bytes = new IdentityHashMap<>();
    /** The table {@link #misses} and {@link #bytes} were filled from: another one empties both. */
    private NameTable cachesOf;
    /** The last {@link #NOT_LOCAL} question's cache key, refilled each time. */
    private final AnswerCache.Key key = AnswerCache.Key.probe();

    /**
     * Writes the reply to {@code query[0..length)} into {@code out} and returns its length, or
     * {@link #SLOW}, or {@link #NOT_LOCAL} (then {@link #key()} is the question's). Not thread-safe (one instance per serving thread: it keeps buffers and caches).
     *
     * @param limit as for {@link Resolver#resolve}: {@link Resolver#UDP_LIMIT} (raised by the
     *              client's EDNS0 size) or {@link Resolver#TCP_LIMIT}
     */
    int answer(byte[] query, int length, SandboxId sandbox, NameTable table, int limit, byte[] out) {
        if (length < Responses.HEADER + 5 || (query[2] & 0xf8) != 0 || Responses.u16(query, 4) != 1 || Responses.u16(query, 6) != 0
                || Responses.u16(query, 8) != 0 || Responses.u16(query, 10) > 1) {
            return SLOW; // a reply, another opcode, or not exactly one question and nothing else
        }
        int p = readName(query, length);
        int end = p + 5;
        if (p == SLOW || end > length) {
            return SLOW;
        }
        int type = Responses.u16(query, p + 1);
        if (type != TYPE_A && type != TYPE_AAAA || Responses.u16(query, p + 3) != CLASS_IN) {
            return SLOW;
        }
        boolean opt = Responses.u16(query, 10) == 1;
        if (opt ? length != end + OPT_SIZE || query[end] != 0 || Responses.u16(query, end + 1) != TYPE_OPT
                || Responses.u16(query, end + 9) != 0 : length != end) {
            return SLOW; // trailing bytes, or an additional record that is not a bare OPT
        }
        int max = limit > Resolver.UDP_LIMIT ? limit
                : opt ? Math.min(Math.max(Responses.u16(query, end + 3), Resolver.UDP_LIMIT), 4096) : Resolver.UDP_LIMIT;
        String asked = name();
        int version = table.version(); // before the lookup: a miss seen at this version holds while it lasts
        if (table != cachesOf) {
            Arrays.fill(misses, null);
            bytes.clear();
            cachesOf = table;
        }
        Miss miss = misses[slot];
        NameTable.Addresses found = null;
        boolean forward = false;
        if (miss != null && miss.name == asked && miss.sandbox == sandbox && miss.version == version) {
            forward = miss.forward;
        } else {
            NameTable.Served served = table.served(sandbox);
            found = table.lookup(served, sandbox, asked);
            if (found == null) {
                forward = table.mayForward(served, sandbox);
                misses[slot] = new Miss(asked, sandbox, version, forward);
            }
        }
        if (found == null) {
            if (!forward) {
                return SLOW; // the resolver's SERVFAIL for an internal-only sandbox
            }
            key.set(query, p + 1, type, CLASS_IN, max, opt ? end : -1);
            return NOT_LOCAL;
        }
        List<InetAddress> addresses = type == TYPE_A ? found.ipv4() : found.ipv6();
        int rdata = type == TYPE_A ? 4 : 16;
        int size = end + addresses.size() * (RR_FIXED + rdata) + (opt ? OPT_SIZE : 0);
        if (size > max || size > out.length) {
            return SLOW; // the resolver truncates
        }
        out[0] = query[0];
        out[1] = query[1];
        out[2] = (byte) (0x80 | (query[2] & 0x01)); // QR, opcode QUERY, RD as asked
        out[3] = (byte) 0x80;                          // RA, NOERROR
        put16(out, 4, 1);
        put16(out, 6, addresses.size());
        put16(out, 8, 0);
        put16(out, 10, opt ? 1 : 0);
        System.arraycopy(query, Responses.HEADER, out, Responses.HEADER, end - Responses.HEADER);
        int o = writeAnswers(out, end, type, bytes(addresses));
        return opt ? writeOpt(out, o) : o;
    }

    /** The cache key of the question of the last {@link #NOT_LOCAL} answer. */
    AnswerCache.Key key() {
        return key;
    }

    /**
     * Reads the question name at offset 12, lower-cased with dots, into {@link #name} (length
     * {@link #chars}, hash {@link #hash}); returns the offset of its final zero byte, or {@link #SLOW}.
     */
    private int readName(byte[] query, int length) {
        int p = Responses.HEADER;
        chars = 0;
        hash = 0;
        for (int label = query[p] & 0xff; label != 0; label = query[p] & 0xff) {
            if (label > 63 || p + 1 + label >= length || p + 1 + label - Responses.HEADER >= MAX_NAME) {
                return SLOW; // a compression pointer, a bad label, or a name running off the end
            }
            if (chars > 0) {
                name[chars++] = '.';
                hash = 31 * hash + '.';
            }
            for (int i = p + 1; i <= p + label; i++) {
                int c = query[i];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return SLOW; // dnsjava escapes these in the name it looks up
                }
                name[chars++] = (char) c;
                hash = 31 * hash + c;
            }
            p += 1 + label;
        }
        return chars == 0 ? SLOW : p;
    }

    /** The answer records, shuffled, each naming the question by a pointer; returns the new end. */
    private static int writeAnswers(byte[] out, int at, int type, byte[][] addresses) {
        int n = addresses.length;
        int[] order = n > 1 ? shuffled(n) : null;
        int o = at;
        for (int i = 0; i < n; i++) {
            byte[] a = addresses[order == null ? i : order[i]];
            put16(out, o, 0xc000 | Responses.HEADER);
            put16(out, o + 2, type);
            put16(out, o + 4, CLASS_IN);
            put16(out, o + 6, (int) (Resolver.TTL >>> 16));
            put16(out, o + 8, (int) (Resolver.TTL & 0xffff));
            put16(out, o + 10, a.length);
            System.arraycopy(a, 0, out, o + RR_FIXED, a.length);
            o += RR_FIXED + a.length;
        }
        return o;
    }

    /** Our OPT record, as {@link Responses#replyTo} adds it; returns the new end. */
    private static int writeOpt(byte[] out, int at) {
        out[at] = 0;
        put16(out, at + 1, TYPE_OPT);
        put16(out, at + 3, Responses.EDNS_PAYLOAD);
        for (int i = at + 5; i < at + OPT_SIZE; i++) {
            out[i] = 0;
        }
        return at + OPT_SIZE;
    }

    /**
     * The name in {@code name[0..chars)} as a String: the cached one when it is the same. Its
     * slot in {@link #names} (and {@link #misses}) is left in {@link #slot}.
     */
    private String name() {
        slot = (hash ^ hash >>> 16) & (NAME_CACHE - 1);
        String cached = names[slot];
        if (cached != null && cached.length() == chars) {
            int i = 0;
            while (i < chars && cached.charAt(i) == name[i]) {
                i++;
            }
            if (i == chars) {
                return cached;
            }
        }
        String fresh = new String(name, 0, chars);
        names[slot] = fresh;
        return fresh;
    }

    /** The addresses' bytes, cached per list (for {@link #cachesOf}); a full cache starts afresh. */
    private byte[][] bytes(List<InetAddress> addresses) {
        if (bytes.size() >= MAX_CACHED_FAMILIES) {
            bytes.clear();
        }
        byte[][] raw = bytes.get(addresses);
        if (raw == null) {
            raw = new byte[addresses.size()][];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = addresses.get(i).getAddress();
            }
            bytes.put(addresses, raw);
        }
        return raw;
    }

    private static int[] shuffled(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
