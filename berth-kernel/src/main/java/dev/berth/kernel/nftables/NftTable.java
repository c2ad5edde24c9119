package dev.berth.kernel.nftables;

import java.util.Objects;

/** A table: a family and a name, e.g. {@code inet filter}. */
public record NftTable(NftFamily family, String name) {
    public NftTable {
        Objects.requireNonNull(family, "family");
        NftText.identifier(name);
    }

    /** How commands refer to it: {@code inet filter}. */
    public String ref() {
        return family.keyword() + " " + name;
    }
}
