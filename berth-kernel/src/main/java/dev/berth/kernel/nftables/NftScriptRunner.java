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
}
