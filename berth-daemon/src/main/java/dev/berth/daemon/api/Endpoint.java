package dev.berth.daemon.api;

/** One route's behaviour. Throw a {@code dev.berth.core.errors} exception to answer an error. */
@FunctionalInterface
public interface Endpoint {
    Reply handle(ApiRequest request);
}
