package dev.berth.daemon.dns;

/**
 * Told of every query the embedded DNS server answered or gave up on: the daemon's metrics count
 * them. Called on the serving threads (and, for a forwarded query, where its answer arrives), once
 * a query; it must be cheap: no I/O, no allocation, no lock held longer than an add.
 */
@FunctionalInterface
public interface DnsObserver {
    /** Counts nothing. */
    DnsObserver NONE = (result, nanos) -> { };

    /** How a query ended. */
    enum Result {
        /** Answered from the name table: a name, alias, PTR of a sandbox, or a local empty answer. */
        LOCAL,
        /** Answered with what an upstream (or the cache of upstream answers) said. */
        FORWARDED,
        /** SERVFAIL or REFUSED (no upstream answered, the sandbox may not forward, a malformed query), or dropped. */
        FAILED
    }

    /** A query ended with {@code result}, {@code nanos} after it was read. */
    void answered(Result result, long nanos);
}
