package dev.berth.kernel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.berth.kernel.ffm.KernelException;

/**
 * One received netlink message: header fields and a payload (the family header and attributes)
 * copied out of the receive buffer, in host byte order, positioned at 0.
 */
record NlMessage(int type, int flags, int seq, ByteBuffer payload) {

    /** Splits one datagram into its messages; a datagram may carry many (dumps) or one. */
    static List<NlMessage> split(ByteBuffer datagram) {
        ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<NlMessage> out = new ArrayList<>();
        while (in.remaining() >= Uapi.NLMSG_HDRLEN) {
            int start = in.position();
            int len = in.getInt(start);
            if (len < Uapi.NLMSG_HDRLEN || len > in.remaining()) {
                throw new KernelException("parse netlink reply",
                        "bad nlmsg_len " + len + " with " + in.remaining() + " bytes left");
            }
            int type = Short.toUnsignedInt(in.getShort(start + 4));
            int flags = Short.toUnsignedInt(in.getShort(start + 6));
            int seq = in.getInt(start + 8);
            byte[] body = new byte[len - Uapi.NLMSG_HDRLEN];
            in.get(start + Uapi.NLMSG_HDRLEN, body);
            out.add(new NlMessage(type, flags, seq, ByteBuffer.wrap(body).order(ByteOrder.nativeOrder())));
            in.position(Math.min(in.limit(), start + NlWriter.align(len)));
        }
        return out;
    }

    /**
     * For NLMSG_ERROR: the errno (positive; 0 means the message is an ACK). The kernel sends the
     * negated errno as the first int of the payload.
     */
    int errorCode() {
        return -payload.getInt(0);
    }

    /**
     * For NLMSG_ERROR: the extended-ack text (NLMSGERR_ATTR_MSG) if the kernel sent one. The
     * attributes follow the echoed request, which is only its 16-byte header when NLM_F_CAPPED is
     * set (we ask for that with NETLINK_CAP_ACK) and the full request otherwise.
     */
    String extAckMessage() {
        if ((flags & Uapi.NLM_F_ACK_TLVS) == 0 || payload.limit() < 4 + Uapi.NLMSG_HDRLEN) {
            return null;
        }
        int echoed = (flags & Uapi.NLM_F_CAPPED) != 0 ? Uapi.NLMSG_HDRLEN : payload.getInt(4);
        int offset = 4 + NlWriter.align(echoed);
        if (offset > payload.limit()) {
            return null;
        }
        return NlAttrs.parse(payload, offset).string(Uapi.NLMSGERR_ATTR_MSG);
    }
}
