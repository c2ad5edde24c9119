package dev.berth.kernel.ffm;

/**
 * A failed kernel call: a syscall that set errno, or a netlink request the kernel answered with
 * {@code NLMSG_ERROR}. The message names the action and its object, then the errno, e.g.
 * {@code create veth vethab12: EEXIST (File exists)}. Callers map outcomes with
 * {@link #isErrno(int)}, e.g. {@code if (e.isErrno(Errno.EEXIST)) ...}.
 *
 * <p>{@link #errno()} is 0 when the failure had no errno (a malformed or truncated reply).
 */
public final class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String action;
    private final int errno;
    private final String detail;

    /** A failure with an errno; {@code detail} (nullable) is extra text such as a netlink extended ack. */
    public KernelException(String action, int errno, String detail) {
        this(action, errno, detail, null);
    }

    public KernelException(String action, int errno) {
        this(action, errno, null, null);
    }

    /** A failure without an errno, e.g. a reply the codec cannot parse. */
    public KernelException(String action, String detail) {
        this(action, 0, detail, null);
    }

    private KernelException(String action, int errno, String detail, Throwable cause) {
        super(format(action, errno, detail), cause);
        this.action = action;
        this.errno = errno;
        this.detail = detail;
    }

    /** The same errno under a wider action, keeping this exception as the cause. */
    public KernelException during(String widerAction) {
        return new KernelException(widerAction, errno, detail, this);
    }

    public String action() {
        return action;
    }

    public int errno() {
        return errno;
    }

    /** e.g. {@code EEXIST}; empty when there is no errno. */
    public String errnoName() {
        return errno == 0 ? "" : Errno.name(errno);
    }

    /** Extra text from the kernel (netlink extended ack) or the codec; may be null. */
    public String detail() {
        return detail;
    }

    public boolean isErrno(int candidate) {
        return errno == candidate;
    }

    private static String format(String action, int errno, String detail) {
        StringBuilder sb = new StringBuilder(action).append(": ");
        if (errno != 0) {
            sb.append(Errno.name(errno)).append(" (").append(Errno.description(errno)).append(')');
            if (detail != null && !detail.isEmpty()) {
                sb.append(" - ").append(detail);
            }
        } else {
            sb.append(detail == null ? "failed" : detail);
        }
        return sb.toString();
    }
}
