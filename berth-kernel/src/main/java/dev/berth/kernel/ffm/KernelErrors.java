package dev.berth.kernel.ffm;

/**
 * Told of every error the kernel answers a call with, by errno ({@code EEXIST}, {@code EBUSY},
 * ...), whether or not the caller then tolerates it: the daemon counts them for its metrics.
 * Called on the failing call's thread, before the {@link KernelException} is thrown; it must be
 * cheap and must not throw.
 */
@FunctionalInterface
public interface KernelErrors {
    /** Counts nothing. */
    KernelErrors NONE = errno -> { };

    /** The kernel answered a call with {@code errno} (positive; see {@link Errno#name}). */
    void failed(int errno);
}
