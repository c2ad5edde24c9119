package dev.berth.kernel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The attributes of one message or nest, by type (the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits
 * masked off). A repeated type keeps its last value; the parsers here never need repeats.
 */
final class NlAttrs {
    private final Map<Integer, ByteBuffer> byType;

    private NlAttrs(Map<Integer, ByteBuffer> byType) {
        this.byType = byType;
    }

    /** Parses attributes from {@code offset} to the buffer's limit. */
    static NlAttrs parse(ByteBuffer buffer, int offset) {
        Map<Integer, ByteBuffer> map = new HashMap<>();
        int pos = offset;
        int limit = buffer.limit();
        while (pos + 4 <= limit) {
            int len = Short.toUnsignedInt(buffer.getShort(pos));
            int type = Short.toUnsignedInt(buffer.getShort(pos + 2)) & Uapi.NLA_TYPE_MASK;
            if (len < 4 || pos + len > limit) {
                break; // truncated tail: keep what parsed cleanly
            }
            map.put(type, buffer.slice(pos + 4, len - 4).order(ByteOrder.nativeOrder()));
            pos += NlWriter.align(len);
        }
        return new NlAttrs(map);
    }

    boolean has(int type) {
        return byType.containsKey(type);
    }

    int u32(int type, int absent) {
        ByteBuffer b = byType.get(type);
        return b == null || b.limit() < 4 ? absent : b.getInt(0);
    }

    int u8(int type, int absent) {
        ByteBuffer b = byType.get(type);
        return b == null || b.limit() < 1 ? absent : Byte.toUnsignedInt(b.get(0));
    }

    byte[] bytes(int type) {
        ByteBuffer b = byType.get(type);
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.limit()];
        b.get(0, out);
        return out;
    }

    /** A string attribute without its NUL terminator; null when absent. */
    String string(int type) {
        byte[] raw = bytes(type);
        if (raw == null) {
            return null;
        }
        int n = 0;
        while (n < raw.length && raw[n] != 0) {
            n++;
        }
        return new String(raw, 0, n, StandardCharsets.UTF_8);
    }

    /** The attributes inside a nest; empty when absent. */
    NlAttrs nested(int type) {
        ByteBuffer b = byType.get(type);
        return b == null ? new NlAttrs(Map.of()) : parse(b, 0);
    }
}
