/**
 * Black-box fuzzing and load of a running daemon: a generator of hostile Engine API requests
 * ({@link dev.berth.it.fuzz.RequestFactory}), a raw socket exchange that tells an answer from a
 * closed connection and a hang ({@link dev.berth.it.fuzz.RawExchange}), the run that checks the
 * daemon's state and memory around them ({@link dev.berth.it.fuzz.ApiFuzzer}), and a DNS packet
 * fuzzer/prober run inside a sandbox's namespace as its own process ({@link dev.berth.it.fuzz.DnsFuzz}).
 *
 * <p>Usage: the short runs are the {@code ApiFuzzIT}, {@code DnsFuzzIT} and {@code LoadIT} tests;
 * {@code bench/reliability.sh fuzz|dns|load} runs the same tests with 10^6 requests or packets and the
 * issue's sizes, and prints the figures.
 *
 * <p>Be aware: every generator is seeded, so a run is reproducible from the seed it prints; a
 * 5xx is recorded with the exact bytes of the request that caused it.
 */
package dev.berth.it.fuzz;
