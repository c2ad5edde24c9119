package dev.berth.kernel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The attributes of one message or nest, by type (the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits
 * masked off). A repeated type keeps its last value; a list, whose elements repeat their type,
 * is read with {@link #parseAll}.
 */
final class NlAttrs {
    private final Map<Integer, ByteBuffer> byType;

    private NlAttrs(Map<Integer, ByteBuffer> byType) {
        this.byType = byType;
    }

    /** Parses attributes from {@code offset} to the buffer's limit. */
    static NlAttrs parse(ByteBuffer buffer, int offset) {
        Map<Integer, ByteBuffer> map = new HashMap<>();
        walk(buffer, offset, map::put);
        return new NlAttrs(map);
    }

    /**
     * The nests of type {@code type} in {@code buffer} (from 0 to its limit), in order: the
     * elements of a list attribute, which all carry the same type. Attributes of other types are
     * skipped.
     */
    static List<NlAttrs> parseAll(ByteBuffer buffer, int type) {
        List<NlAttrs> out = new ArrayList<>();
        walk(buffer, 0, (t, value) -> {
            if (t == type) {
                out.add(parse(value, 0));
            }
        });
        return out;
    }

    /** Each attribute from {@code offset} to the buffer's limit: its type and its value. */
    private static void walk(ByteBuffer buffer, int offset, BiConsumer<Integer, ByteBuffer> each) {
        int pos = offset;
        int limit = buffer.limit();
        while (pos + 4 <= limit) {
            int len = Short.toUnsignedInt(buffer.getShort(pos));
            int type = Short.toUnsignedInt(buffer.getShort(pos + 2)) & Uapi.NLA_TYPE_MASK;
            if (len < 4 || pos + len > limit) {
                break; // truncated tail: keep what parsed cleanly
            }
            each.accept(type, buffer.slice(pos + 4, len - 4).order(ByteOrder.nativeOrder()));
            pos += NlWriter.align(len);
        }
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
