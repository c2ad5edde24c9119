package dev.berth.kernel.nftables;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keeps a few low file-descriptor numbers free for libnftables. Kernel quirk, really a libnftables
 * one: nftables 1.0.x waits for netlink replies with {@code select()}, and glibc aborts the whole
 * process ("bit out of range 0 - FD_SETSIZE") when the socket's number is 1024 or more. A daemon
 * with many sandboxes holds thousands of descriptors, so a context created late would get such a
 * number. This reserve holds descriptors on {@code /dev/null} taken at start-up, while numbers are
 * low; {@link #withLowFds} releases them all for the duration of a task that creates a context, so
 * its socket takes one of the low numbers (the kernel always hands out the lowest free one), and
 * takes them back afterwards.
 */
public final class LowFdReserve implements AutoCloseable {
    /** glibc's limit for {@code select()}. */
    public static final int FD_SETSIZE = 1024;
    private final int size;
    private final List<Integer> held = new ArrayList<>();

    private LowFdReserve(int size) {
        this.size = size;
    }

    /** Takes {@code size} descriptors now: call it early in start-up. */
    public static LowFdReserve take(int size) {
        LowFdReserve reserve = new LowFdReserve(size);
        reserve.fill();
        return reserve;
    }

    /**
     * Runs the task with every reserved number free; serialised, so tasks never compete for them.
     * Fails, without running the task, when no number below {@value #FD_SETSIZE} is free: a
     * failed call is better than a daemon that glibc aborts.
     */
    public synchronized <T> T withLowFds(Supplier<T> task) {
        release();
        try {
            int lowest = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            Libc.close(lowest);
            if (lowest >= FD_SETSIZE) {
                throw new KernelException("find a file descriptor below " + FD_SETSIZE + " for libnftables", Errno.EMFILE,
                        "all " + FD_SETSIZE + " are in use");
            }
            return task.get();
        } finally {
            fill();
        }
    }

    /** The reserved numbers, for tests. */
    public synchronized List<Integer> held() {
        return List.copyOf(held);
    }

    @Override
    public synchronized void close() {
        release();
    }

    /**
     * Takes numbers back up to the size, keeping only those below {@value #FD_SETSIZE}: another
     * thread may have taken a reserved number while it was free, and its replacement must not be
     * a high one, or the reserve would drift up over time until it holds nothing useful. Low
     * numbers that others free later are taken at the next fill.
     */
    private void fill() {
        while (held.size() < size) {
            int fd = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd >= FD_SETSIZE) {
                Libc.close(fd);
                return;
            }
            held.add(fd);
        }
    }

    private void release() {
        held.forEach(Libc::close);
        held.clear();
    }
}
