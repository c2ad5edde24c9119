package dev.berth.daemon.api;

/**
 * {@code POST /images/create?fromImage=...&tag=...}: the registry client's hook. It answers the
 * request whole (moby streams {@code {"status":...}} progress lines, then the digest and status).
 */
@FunctionalInterface
public interface ImagePull {
    Reply pull(ApiRequest request);
}
