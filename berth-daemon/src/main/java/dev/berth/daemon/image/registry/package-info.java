/**
 * The client side of the registry protocol (Distribution API v2) that {@code docker pull} needs,
 * over {@code java.net.http}: where a registry is ({@link dev.berth.daemon.image.registry.RegistryEndpoint}:
 * HTTPS, plain HTTP for loopback registries as dockerd does), the anonymous bearer-token flow
 * ({@link dev.berth.daemon.image.registry.AuthChallenge}), manifests and indexes with the platform
 * choice ({@link dev.berth.daemon.image.registry.Manifests}), and blobs whose bytes are checked
 * against their digest as they stream ({@link dev.berth.daemon.image.registry.VerifyingInputStream}).
 * It knows nothing of the local store: the pull in {@code daemon.image} drives it and stores what
 * it fetched.
 */
package dev.berth.daemon.image.registry;
