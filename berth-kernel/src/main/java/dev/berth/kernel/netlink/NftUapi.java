package dev.berth.kernel.netlink;

/**
 * Numbers from the Linux uapi headers {@code nfnetlink.h} and {@code nf_tables.h}: what
 * {@link NftRules} reads and {@link NftBatch} writes. nf_tables' u32 attributes are
 * big-endian; message types are {@code NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_*}.
 */
final class NftUapi {
    private NftUapi() {}

    static final int NFNL_SUBSYS_NFTABLES = 10;
    /** nfnetlink's batch delimiters (type without a subsystem). */
    static final int NFNL_MSG_BATCH_BEGIN = 16;
    static final int NFNL_MSG_BATCH_END = 17;
    /** Size of {@code struct nfgenmsg}: family, version, big-endian res_id. */
    static final int NFGENMSG_LEN = 4;

    static final int NFT_MSG_NEWTABLE = 0;
    static final int NFT_MSG_DELTABLE = 2;
    static final int NFT_MSG_NEWCHAIN = 3;
    static final int NFT_MSG_NEWRULE = 6;
    static final int NFT_MSG_GETRULE = 7;
    static final int NFT_MSG_DELRULE = 8;
    static final int NFT_MSG_NEWSET = 9;
    static final int NFT_MSG_NEWSETELEM = 12;

    /** NLM_F_APPEND: a new rule goes at the chain's end. */
    static final int NLM_F_APPEND = 0x800;

    static final int NFTA_TABLE_NAME = 1;
    static final int NFTA_TABLE_FLAGS = 2;

    static final int NFTA_CHAIN_TABLE = 1;
    static final int NFTA_CHAIN_NAME = 3;
    static final int NFTA_CHAIN_HOOK = 4;
    static final int NFTA_CHAIN_POLICY = 5;
    static final int NFTA_CHAIN_TYPE = 7;
    static final int NFTA_HOOK_HOOKNUM = 1;
    static final int NFTA_HOOK_PRIORITY = 2;

    static final int NFTA_RULE_TABLE = 1;
    static final int NFTA_RULE_CHAIN = 2;
    static final int NFTA_RULE_EXPRESSIONS = 4;
    static final int NFTA_LIST_ELEM = 1;
    static final int NFTA_EXPR_NAME = 1;
    static final int NFTA_EXPR_DATA = 2;
    static final int NFTA_DATA_VALUE = 1;
    static final int NFTA_DATA_VERDICT = 2;
    static final int NFTA_VERDICT_CODE = 1;

    static final int NFTA_SET_TABLE = 1;
    static final int NFTA_SET_NAME = 2;
    static final int NFTA_SET_FLAGS = 3;
    static final int NFTA_SET_KEY_TYPE = 4;
    static final int NFTA_SET_KEY_LEN = 5;
    static final int NFTA_SET_DESC = 9;
    static final int NFTA_SET_ID = 10;
    static final int NFTA_SET_DESC_SIZE = 1;
    static final int NFT_SET_ANONYMOUS = 0x1;
    static final int NFT_SET_CONSTANT = 0x2;
    static final int NFTA_SET_ELEM_LIST_TABLE = 1;
    static final int NFTA_SET_ELEM_LIST_SET = 2;
    static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    static final int NFTA_SET_ELEM_LIST_SET_ID = 4;
    static final int NFTA_SET_ELEM_KEY = 1;

    /** NFTA_PAYLOAD_DREG, _BASE, _OFFSET, _LEN; a write has _SREG and _CSUM_TYPE, _CSUM_OFFSET instead of _DREG. */
    static final int NFTA_PAYLOAD_DREG = 1;
    static final int NFTA_PAYLOAD_BASE = 2;
    static final int NFTA_PAYLOAD_OFFSET = 3;
    static final int NFTA_PAYLOAD_LEN = 4;
    static final int NFTA_PAYLOAD_SREG = 5;
    static final int NFTA_PAYLOAD_CSUM_TYPE = 6;
    static final int NFTA_PAYLOAD_CSUM_OFFSET = 7;
    /** NFT_PAYLOAD_CSUM_INET: the internet checksum at _CSUM_OFFSET is updated for what the write changed. */
    static final int NFT_PAYLOAD_CSUM_INET = 1;
    /** NFTA_META_DREG, _KEY. */
    static final int NFTA_META_DREG = 1;
    static final int NFTA_META_KEY = 2;
    /** NFTA_CMP_SREG, _OP, _DATA. */
    static final int NFTA_CMP_SREG = 1;
    static final int NFTA_CMP_OP = 2;
    static final int NFTA_CMP_DATA = 3;
    static final int NFT_CMP_EQ = 0;
    /** NFTA_IMMEDIATE_DREG, _DATA. */
    static final int NFTA_IMMEDIATE_DREG = 1;
    static final int NFTA_IMMEDIATE_DATA = 2;
    /** NFTA_NAT_TYPE, _REG_ADDR_MIN, _REG_PROTO_MIN (read only: an earlier version's DNAT redirect). */
    static final int NFTA_NAT_TYPE = 1;
    static final int NFTA_NAT_REG_ADDR_MIN = 3;
    static final int NFTA_NAT_REG_PROTO_MIN = 5;
    static final int NFT_NAT_DNAT = 1;
    /** NFTA_LOOKUP_SET, _SREG, _SET_ID. */
    static final int NFTA_LOOKUP_SET = 1;
    static final int NFTA_LOOKUP_SREG = 2;
    static final int NFTA_LOOKUP_SET_ID = 4;

    static final int NFT_PAYLOAD_NETWORK_HEADER = 1;
    static final int NFT_PAYLOAD_TRANSPORT_HEADER = 2;
    static final int NFT_META_L4PROTO = 16;
}
