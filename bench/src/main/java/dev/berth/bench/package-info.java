/**
 * Benchmarks against a running berthd, driven through its Engine API socket.
 *
 * <p>Usage: {@code java -jar bench/target/benchmarks.jar NetworkBench -p socket=/path/berth.sock}
 * (or {@code bench/run.sh network}, which starts a daemon in a throwaway namespace and prints the
 * comparison with dockerd and podman). {@link dev.berth.bench.UnixHttpClient} wraps berth-api's
 * minimal Unix-socket HTTP/1.1 client (the one the CLI and the tests use) so that the numbers are
 * the daemon's, not a client library's.
 *
 * <p>Be aware: these are latencies on whatever machine runs them; never assert on them in tests.
 */
package dev.berth.bench;
