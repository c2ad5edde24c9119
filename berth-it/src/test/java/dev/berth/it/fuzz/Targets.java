package dev.berth.it.fuzz;

/**
 * The real objects the fuzzer aims at, so that mutated requests reach deep code paths and not
 * only "no such network": a user network and a sandbox connected to it.
 */
public record Targets(String networkId, String networkName, String containerId, String containerName) {
}
