/**
 * Durable desired state in SQLite: networks (as versioned JSON documents) and daemon settings.
 *
 * <pre>{@code
 * try (StateStore store = SqliteStateStore.open(dataRoot.resolve("berth.db"))) {
 *     store.putNetwork(network);
 * }
 * }</pre>
 *
 * <p>The sqlite-jdbc driver unpacks its native library into {@code java.io.tmpdir} on first use.
 * Each method is one transaction; callers that need several rows changed together get a method
 * of their own here rather than composing calls.
 */
package dev.berth.daemon.store;
