/**
 * Durable desired state in SQLite: networks (as versioned JSON documents) and daemon settings.
 *
 * <pre>{@code
 * try (StateStore store = SqliteStateStore.open(dataRoot.resolve("berth.db"))) {
 *     store.putNetwork(network);
 * }
 * }</pre>
 *
 * <p>The sqlite-jdbc driver's native library is kept in {@code <data-root>/lib}, one file per driver
 * version, written once ({@code SqliteNativeLibrary}); nothing goes to {@code java.io.tmpdir}.
 * Each method is one transaction; callers that need several rows changed together get a method
 * of their own here rather than composing calls.
 */
package dev.berth.daemon.store;
