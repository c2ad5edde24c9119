package dev.berth.daemon.dns;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;

/**
 * Forwarded answers kept for their TTL: the bytes relayed to the first client, given to the next
 * client that asks the same question the same way, with its own id and question spelling and every
 * TTL lowered by the seconds the answer has been kept. Kept are positive answers (NOERROR with
 * answer records) for the smallest TTL among their records, and negative answers (NXDOMAIN, or
 * NOERROR without answers) that carry an SOA record, for the smaller of its TTL and its MINIMUM
 * field (RFC 2308 §5). A negative answer without an SOA is kept for {@link #negativeTtl} seconds
 * (daemon.json {@code dns-neg-ttl}, dnsmasq's {@code --neg-ttl}; 0: not kept, as RFC 2308 §5
 * says), or less when one of its records has a smaller TTL. Never kept: truncated replies, other
 * rcodes, a TTL of 0, and anything whose records cannot be walked. At most one day, at most
 * {@code capacity} answers (expired ones go first, then arbitrary ones).
 *
 * <p>"The same way" is the {@link Key}: the question (name case-insensitively, type, class) and
 * what shapes the reply: the client's size limit, whether it sent EDNS and the DO bit, and the RD
 * and CD bits. A key is made from a query dnsjava read ({@link Key#of}) or straight from the
 * query's bytes on a DNS thread's hot path ({@link Key#set}, no allocation); both give equal keys.
 *
 * <p>Thread-safe: the DNS threads read, the forwarder's threads write; entries are immutable.
 */
final class AnswerCache {
    /** The longest an answer is kept, whatever its TTL says. */
    static final long MAX_TTL = 86_400;
    private static final int TYPE_SOA = 6;
    private static final int TYPE_OPT = 41;
    private static final int NXDOMAIN = 3;

    /**
     * What makes two queries get the same reply: the question name in wire form with ASCII letters
     * lower-cased (RFC 4034's canonical form: names compare case-insensitively), type, class, the
     * client's size limit, and the EDNS, DO, RD and CD bits. A key in the map is never changed; a
     * probe ({@link #probe}) is one DNS thread's, refilled per query by {@link #set}.
     */
    static final class Key {
        private static final int EDNS = 1;
        private static final int DO = 2;
        private static final int RD = 4;
        private static final int CD = 8;
        private final byte[] name;
        private int nameLength;
        private int type;
        private int dclass;
        private int limit;
        private int bits;
        private int hash;

        private Key(byte[] name, int nameLength, int type, int dclass, int limit, int bits) {
            this.name = name;
            fill(nameLength, nameHash(name, nameLength), type, dclass, limit, bits);
        }

        /** The key of a query dnsjava read. */
        static Key of(ForwardedQuery query) {
            Message m = query.message();
            Record q = m.getQuestion();
            OPTRecord opt = m.getOPT();
            byte[] wire = q.getName().toWireCanonical();
            return new Key(wire, wire.length, q.getType(), q.getDClass(), query.limit(),
                    bits(opt != null, opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0,
                            m.getHeader().getFlag(Flags.RD), m.getHeader().getFlag(Flags.CD)));
        }

        /** A key to refill per query ({@link #set}); never put in the cache itself. */
        static Key probe() {
            return new Key(new byte[256], 0, 0, 0, 0, 0);
        }

        /**
         * Makes this probe the key of the question whose uncompressed name starts at
         * {@code query[12]} and ends at {@code nameEnd} (its final zero byte included), asked
         * with {@code limit}; {@code opt} is the offset of the query's OPT record, or -1.
         * The caller has checked the name's labels.
         */
        Key set(byte[] query, int nameEnd, int type, int dclass, int limit, int opt) {
            int n = nameEnd - Responses.HEADER;
            int h = 1;
            for (int i = 0; i < n; i++) {
                byte b = Responses.lowerAscii(query[Responses.HEADER + i]);
                name[i] = b;
                h = 31 * h + b; // nameHash, in the same pass
            }
            return fill(n, h, type, dclass, limit, bits(opt >= 0, opt >= 0 && (query[opt + 7] & 0x80) != 0,
                    (query[2] & 0x01) != 0, (query[3] & 0x10) != 0));
        }

        private static int nameHash(byte[] name, int nameLength) {
            int h = 1;
            for (int i = 0; i < nameLength; i++) {
                h = 31 * h + name[i];
            }
            return h;
        }

        private static int bits(boolean edns, boolean dnssecOk, boolean rd, boolean cd) {
            return (edns ? EDNS : 0) | (dnssecOk ? DO : 0) | (rd ? RD : 0) | (cd ? CD : 0);
        }

        private Key fill(int nameLength, int nameHash, int type, int dclass, int limit, int bits) {
            this.nameLength = nameLength;
            this.type = type;
            this.dclass = dclass;
            this.limit = limit;
            this.bits = bits;
            this.hash = ((nameHash * 31 + type) * 31 + dclass) * 31 + limit << 4 | bits;
            return this;
        }

        /** The client's size limit. */
        int limit() {
            return limit;
        }

        /** Whether the query had an OPT record. */
        boolean edns() {
            return (bits & EDNS) != 0;
        }

        /** An unchanging copy, to keep in the cache (or in a query waiting for its answer). */
        Key copy() {
            return new Key(java.util.Arrays.copyOf(name, nameLength), nameLength, type, dclass, limit, bits);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k) || k.hash != hash || k.nameLength != nameLength || k.type != type
                    || k.dclass != dclass || k.limit != limit || k.bits != bits) {
                return false;
            }
            for (int i = 0; i < nameLength; i++) { // names are short: a plain loop beats Arrays.equals' range checks
                if (k.name[i] != name[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Key[" + nameLength + " name bytes, type " + type + ", class " + dclass + ", limit " + limit
                    + ", bits " + bits + "]";
        }
    }

    /** A kept reply: its bytes, where its TTLs are and what they were, when it was kept and until when. */
    private record Entry(byte[] wire, int questionLength, int[] ttlAt, long[] ttl, long stored, long expires) {
    }

    private final int capacity;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    /** Seconds a negative answer without an SOA is kept; 0: not kept. */
    private volatile long negativeTtl;

    AnswerCache(int capacity) {
        this(capacity, 0);
    }

    /** @param negativeTtl seconds a negative answer without an SOA is kept (0: not kept) */
    AnswerCache(int capacity, long negativeTtl) {
        this.capacity = capacity;
        negativeTtl(negativeTtl);
    }

    /** Sets how long negative answers without an SOA are kept from now on (0: not at all), at most a day. */
    void negativeTtl(long seconds) {
        if (seconds < 0 || seconds > MAX_TTL) {
            throw new IllegalArgumentException("negative TTL " + seconds + " outside 0.." + MAX_TTL);
        }
        negativeTtl = seconds;
    }

    /**
     * The kept reply for {@code key} made for {@code query} (its id and question name), its TTLs
     * lowered by the whole seconds since it was kept; null when none is kept or it has expired.
     *
     * @param now {@link System#nanoTime()}
     */
    byte[] get(Key key, byte[] query, long now) {
        Entry e = live(key, now);
        if (e == null) {
            return null;
        }
        byte[] out = new byte[e.wire().length];
        write(e, query, now, out);
        return out;
    }

    /**
     * As {@link #get(Key, byte[], long)}, written into {@code out}: its length, or -1 when none is
     * kept, it has expired or it does not fit.
     */
    int get(Key key, byte[] query, long now, byte[] out) {
        Entry e = live(key, now);
        if (e == null || e.wire().length > out.length) {
            return -1;
        }
        write(e, query, now, out);
        return e.wire().length;
    }

    private Entry live(Key key, long now) {
        Entry e = entries.get(key);
        if (e != null && now - e.expires() >= 0) {
            entries.remove(key, e);
            return null;
        }
        return e;
    }

    private static void write(Entry e, byte[] query, long now, byte[] out) {
        long elapsed = (now - e.stored()) / 1_000_000_000L;
        System.arraycopy(e.wire(), 0, out, 0, e.wire().length);
        out[0] = query[0];
        out[1] = query[1];
        if (nameLength(query, Responses.HEADER) == e.questionLength()) {
            System.arraycopy(query, Responses.HEADER, out, Responses.HEADER, e.questionLength());
        }
        for (int i = 0; i < e.ttlAt().length; i++) {
            put32(out, e.ttlAt()[i], e.ttl()[i] - elapsed);
        }
    }

    /**
     * Keeps {@code reply} (the bytes relayed for {@code key}) when it may be kept.
     *
     * @param now {@link System#nanoTime()}
     */
    void put(Key key, byte[] reply, long now) {
        Entry e = entry(reply, now, negativeTtl);
        if (e == null) {
            return;
        }
        if (entries.size() >= capacity && !entries.containsKey(key)) {
            makeRoom(now);
        }
        entries.put(key.copy(), e);
    }

    void clear() {
        entries.clear();
    }

    /** Answers kept now (expired ones not yet dropped included). */
    int size() {
        return entries.size();
    }

    private void makeRoom(long now) {
        entries.values().removeIf(e -> now - e.expires() >= 0);
        Iterator<Key> it = entries.keySet().iterator();
        for (int drop = Math.max(1, capacity / 8); drop > 0 && it.hasNext() && entries.size() >= capacity; drop--) {
            it.next();
            it.remove();
        }
    }

    /** The entry for a reply, or null when it may not be kept (then nothing is allocated). */
    private static Entry entry(byte[] w, long now, long negativeTtl) {
        if (w.length < Responses.HEADER || (w[2] & 0x80) == 0 || (w[2] & 0x02) != 0 || Responses.u16(w, 4) != 1) {
            return null; // not a reply, truncated, or not one question
        }
        int questionLength = nameLength(w, Responses.HEADER);
        if (questionLength < 0) {
            return null;
        }
        long min = ttls(w, questionLength, negativeTtl, null, null);
        if (min <= 0) {
            return null;
        }
        int n = (int) (min >>> 32);
        int[] at = new int[n];
        long[] was = new long[n];
        ttls(w, questionLength, negativeTtl, at, was);
        return new Entry(w.clone(), questionLength, at, was, now, now + (min & 0xffff_ffffL) * 1_000_000_000L);
    }

    /**
     * One walk over the records of a reply: how long it may be kept in the low 32 bits and how
     * many TTLs it has in the high ones, or 0 when it may not be kept; with arrays, where its TTLs
     * are and what they say go into them.
     */
    private static long ttls(byte[] w, int questionLength, long negativeTtl, int[] ttlAt, long[] ttl) {
        int rcode = w[3] & 0x0f;
        int answers = Responses.u16(w, 6);
        int authority = Responses.u16(w, 8);
        int records = answers + authority + Responses.u16(w, 10);
        int p = Responses.HEADER + questionLength + 4;
        int n = 0;
        long min = MAX_TTL;
        boolean soa = false;
        for (int i = 0; i < records; i++) {
            int nl = nameLength(w, p);
            if (nl < 0 || p + nl + 10 > w.length) {
                return 0;
            }
            int at = p + nl;
            int type = Responses.u16(w, at);
            int rdlength = Responses.u16(w, at + 8);
            int end = at + 10 + rdlength;
            if (end > w.length) {
                return 0;
            }
            if (type != TYPE_OPT) {
                long t = u32(w, at + 4);
                t = t > Integer.MAX_VALUE ? 0 : t; // RFC 2181 §8: the top bit set means 0
                if (ttlAt != null) {
                    ttlAt[n] = at + 4;
                    ttl[n] = t;
                }
                n++;
                min = Math.min(min, t);
                if (type == TYPE_SOA && i >= answers && i < answers + authority && rdlength >= 20) {
                    soa = true;
                    min = Math.min(min, u32(w, end - 4) > Integer.MAX_VALUE ? 0 : u32(w, end - 4));
                }
            }
            p = end;
        }
        if (p != w.length) {
            return 0;
        }
        boolean positive = rcode == 0 && answers > 0;
        boolean negative = rcode == NXDOMAIN || rcode == 0 && answers == 0;
        if (negative && !soa) {
            min = Math.min(min, negativeTtl); // RFC 2308 §5 says not to keep it; dns-neg-ttl says how long anyway
        }
        return !positive && !negative || min <= 0 ? 0 : (long) n << 32 | min;
    }

    /** The length of the name at {@code p} in wire form (a pointer ends it, 2 bytes); -1 when it runs off. */
    static int nameLength(byte[] w, int p) {
        int start = p;
        while (p < w.length) {
            int len = w[p] & 0xff;
            if (len == 0) {
                return p + 1 - start;
            }
            if ((len & 0xc0) == 0xc0) {
                return p + 2 <= w.length ? p + 2 - start : -1;
            }
            if ((len & 0xc0) != 0) {
                return -1;
            }
            p += 1 + len;
        }
        return -1;
    }

    private static long u32(byte[] b, int at) {
        return (long) Responses.u16(b, at) << 16 | Responses.u16(b, at + 2);
    }

    private static void put32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
