package dev.berth.kernel.nftables;

/**
 * Something that applies nft script text as one transaction: {@link NftContext} in production,
 * a recorder in tests.
 */
@FunctionalInterface
public interface NftScriptRunner {
    /**
     * Applies {@code script} atomically and returns what nft printed (usually nothing).
     *
     * @throws NftException with nft's error text when any command fails; nothing was applied
     */
    String run(String script);

    /**
     * Runs a read command (e.g. {@code list table inet filter}) and returns its JSON output.
     * Runners that only apply scripts (test recorders) do not support it.
     *
     * @throws NftException with nft's error text when the command fails (e.g. no such table)
     */
    default String query(String command) {
        throw new UnsupportedOperationException("this nft runner cannot list");
    }
}
