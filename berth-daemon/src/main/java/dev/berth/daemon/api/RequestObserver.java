package dev.berth.daemon.api;

/**
 * Told of every API request the {@link Dispatcher} answered: the daemon's metrics count them. A
 * stream ({@code /events}, {@code logs -f}) and a hijacked connection count when their head is
 * decided (the time to the first byte), not when they end. Requests Jetty refuses before they
 * reach the dispatcher (a malformed request line, oversized headers) are not seen.
 */
@FunctionalInterface
public interface RequestObserver {
    /** Counts nothing. */
    RequestObserver NONE = (method, route, status, nanos) -> { };

    /** The route a request that matched none is counted under. */
    String UNMATCHED = "unmatched";

    /**
     * @param method the request's method; for an {@link #UNMATCHED} request one of GET, HEAD,
     *               POST, PUT, DELETE, else {@code OTHER} (a client must not make up label values)
     * @param route  the route's template without the version prefix ({@code /networks/{id}/connect}),
     *               or {@link #UNMATCHED}
     * @param status the status answered
     * @param nanos  from the request's arrival at the handler to its answer
     */
    void answered(String method, String route, int status, long nanos);
}
