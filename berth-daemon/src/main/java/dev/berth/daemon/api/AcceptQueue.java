package dev.berth.daemon.api;

/**
 * The listen backlog of the API socket: the system's {@code net.core.somaxconn}, as Go's listener
 * (and so dockerd) uses. Java's default backlog is 50, so a burst of more simultaneous connections
 * got {@code EAGAIN} from {@code connect}. The kernel caps any backlog at {@code somaxconn} anyway.
 * The composition root reads the sysctl (through {@code kernel.sysctl}: on JDK 25
 * {@code Files.readString} returns only the first byte of a sysctl file, which made the backlog 4)
 * and hands {@link ApiServer} the number this gives.
 */
public final class AcceptQueue {
    /** The kernel's default since Linux 5.4, used if the sysctl cannot be read. */
    public static final int FALLBACK = 4096;

    private AcceptQueue() {
    }

    /** The sysctl's text as a backlog; anything unusable (an empty text: it could not be read) gives {@link #FALLBACK}. */
    public static int size(String somaxconn) {
        try {
            int value = Integer.parseInt(somaxconn.strip());
            return value > 0 ? value : FALLBACK;
        } catch (NumberFormatException e) {
            return FALLBACK;
        }
    }
}
