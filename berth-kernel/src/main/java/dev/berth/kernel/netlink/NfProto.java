package dev.berth.kernel.netlink;

/**
 * The address family of an nf_tables table and of a NAT expression (NFPROTO_* of
 * {@code netfilter.h}), with nft's name for it.
 */
public enum NfProto {
    IPV4(2, "ip"), IPV6(10, "ip6");

    final int value;
    private final String nft;

    NfProto(int value, String nft) {
        this.value = value;
        this.nft = nft;
    }

    /** nft's name of the family: {@code ip}, {@code ip6}. */
    public String nftName() {
        return nft;
    }
}
