package dev.berth.kernel.nftables;

import java.util.Objects;

/**
 * One rule of a chain: match expressions and statements in nft syntax, e.g.
 * {@code iifname @lan oifname != @lan accept}. The text must be a single statement line.
 */
public record NftRule(NftChain chain, String statement) {
    public NftRule {
        Objects.requireNonNull(chain, "chain");
        if (statement == null || statement.isBlank() || statement.indexOf('\n') >= 0
                || statement.indexOf(';') >= 0 || statement.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a rule is one non-empty statement line: " + statement);
        }
    }

    String renderAdd() {
        return "add rule " + chain.ref() + " " + statement;
    }
}
