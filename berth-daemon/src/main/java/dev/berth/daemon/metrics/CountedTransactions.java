package dev.berth.daemon.metrics;

import dev.berth.kernel.nftables.NftScriptRunner;

/** The firewall's nft runner with each transaction ({@link #run}) timed and counted; listings are not. */
final class CountedTransactions implements NftScriptRunner {
    private final NftScriptRunner nft;
    private final Instruments instruments;

    CountedTransactions(NftScriptRunner nft, Instruments instruments) {
        this.nft = nft;
        this.instruments = instruments;
    }

    @Override
    public String run(String script) {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            String out = nft.run(script);
            ok = true;
            return out;
        } finally {
            instruments.transaction(ok, System.nanoTime() - start);
        }
    }

    @Override
    public String query(String command) {
        return nft.query(command);
    }
}
