/**
 * Privileged end-to-end tests of the daemon: each test gets fresh namespaces and its own
 * daemon from {@link dev.berth.it.fixture.TestbedExtension}, drives it with the real docker
 * CLI, the berth CLI or raw HTTP, and asserts on real kernel state ({@code ip -j}).
 *
 * <p>Usage: {@code mvn -B verify -pl berth-it -am} as root (Failsafe runs the {@code *IT}
 * classes against the packaged jars). Docker's own output, recorded on a real dockerd, lives
 * in {@code src/test/resources/docker-samples} and is what the shapes are compared with.
 *
 * <p>Be aware: no timing assertions; every wait is a bounded poll. Tests must not assume
 * the order in which they run, nor anything about the machine outside their namespaces.
 */
package dev.berth.it;
