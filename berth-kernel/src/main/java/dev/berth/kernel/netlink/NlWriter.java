package dev.berth.kernel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds one netlink message: the 16-byte {@code nlmsghdr}, a family header written field by
 * field, then attributes. Everything is in host byte order except address payloads, which the
 * caller passes in network order (as {@code InetAddress.getAddress()} gives them). Attributes
 * start on 4-byte boundaries; an attribute's length excludes its trailing padding, a nest's
 * length includes the padding of its children.
 */
final class NlWriter {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    NlWriter(int type, int flags) {
        buf.putInt(0);           // nlmsg_len, patched by build()
        buf.putShort((short) type);
        buf.putShort((short) flags);
        buf.putInt(0);           // nlmsg_seq, patched by build()
        buf.putInt(0);           // nlmsg_pid: 0, the kernel fills in the sender
    }

    NlWriter u8(int value) {
        ensure(1);
        buf.put((byte) value);
        return this;
    }

    NlWriter u16(int value) {
        ensure(2);
        buf.putShort((short) value);
        return this;
    }

    /** A field in network byte order, e.g. {@code struct nfgenmsg}'s {@code res_id}. */
    NlWriter be16(int value) {
        ensure(2);
        buf.put((byte) (value >>> 8));
        buf.put((byte) value);
        return this;
    }

    NlWriter u32(int value) {
        ensure(4);
        buf.putInt(value);
        return this;
    }

    NlWriter attr(int type, byte[] value) {
        int len = 4 + value.length;
        ensure(align(len));
        buf.putShort((short) len);
        buf.putShort((short) type);
        buf.put(value);
        pad();
        return this;
    }

    NlWriter attrU8(int type, int value) {
        return attr(type, new byte[] {(byte) value});
    }

    NlWriter attrU32(int type, int value) {
        byte[] b = new byte[4];
        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putInt(value);
        return attr(type, b);
    }

    /** A u32 attribute in network byte order, as nf_tables wants all of its numbers. */
    NlWriter attrBe32(int type, int value) {
        return attr(type, ByteBuffer.allocate(4).putInt(value).array());
    }

    /** A NUL-terminated string attribute, as the kernel's NLA_STRING/NLA_NUL_STRING expect. */
    NlWriter attrString(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return attr(type, z);
    }

    /** Opens a nested attribute; pass {@code type | Uapi.NLA_F_NESTED} where the kernel insists. */
    int nest(int type) {
        ensure(4);
        int start = buf.position();
        buf.putShort((short) 0);
        buf.putShort((short) type);
        return start;
    }

    NlWriter end(int nestStart) {
        buf.putShort(nestStart, (short) (buf.position() - nestStart));
        return this;
    }

    /** Patches length and sequence number and returns the message bytes. */
    byte[] build(int seq) {
        buf.putInt(0, buf.position());
        buf.putInt(8, seq);
        byte[] out = new byte[buf.position()];
        buf.get(0, out);
        return out;
    }

    private void pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }

    private void ensure(int more) {
        if (buf.remaining() < more + 4) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more + 64))
                    .order(ByteOrder.nativeOrder());
            bigger.put(buf.flip());
            buf = bigger;
        }
    }

    static int align(int len) {
        return (len + 3) & ~3;
    }
}
