package dev.berth.kernel.netlink;

import static dev.berth.kernel.netlink.NftUapi.*;

import dev.berth.kernel.ffm.KernelErrors;
import java.util.ArrayList;
import java.util.List;

/**
 * One nf_tables transaction written straight over {@code NETLINK_NETFILTER}, without libnftables:
 * tables (made or deleted), base chains, chain flushes and rules (with their anonymous sets), sent
 * as one nfnetlink batch ({@code NFNL_MSG_BATCH_BEGIN} ... {@code NFNL_MSG_BATCH_END}) that the
 * kernel applies whole or not at all. Each message asks for an ack; {@link #commit} reads the
 * answer to every one and turns the first error into a {@code KernelException} naming the message
 * and the errno.
 *
 * <p>Why not libnftables here: a context waits for the kernel's answers with {@code select()},
 * which glibc aborts the process on when the socket's descriptor is 1024 or more; a daemon with a
 * thousand sandboxes holds more than that. The socket here is read with {@code recv}, whatever its
 * number, and lives only for one commit.
 *
 * <p>The messages are those libnftables 1.0.6 sends for the same nft text ({@code nft --debug=mnl}):
 * {@code add table} (NLM_F_CREATE: an existing table is kept), {@code delete table},
 * {@code add chain} (an existing chain is kept), {@code flush chain} (DELRULE with table and chain
 * only), {@code add rule} (NLM_F_CREATE | NLM_F_APPEND). Not thread-safe; build and commit on one
 * thread.
 */
public final class NftBatch {
    /** Netfilter's hooks of the ip and ip6 families (NF_INET_*). */
    public enum Hook {
        PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING
    }

    /** A table: its family and name. */
    public record Table(NfProto family, String name) {
        @Override
        public String toString() {
            return family.nftName() + " " + name;
        }
    }

    /** A chain of a table. */
    public record Chain(Table table, String name) {
        @Override
        public String toString() {
            return table + " " + name;
        }
    }

    /** The kernel's pattern for an anonymous set's name: it picks the number. */
    private static final String ANONYMOUS_SET_NAME = "__set%d";

    private final List<NlWriter> messages = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private int setIds;
    private int rules;

    /** {@code add table}: made unless it is there; an existing table keeps its contents. */
    public NftBatch addTable(Table table) {
        NlWriter m = message(NFT_MSG_NEWTABLE, table.family(), Uapi.NLM_F_CREATE)
                .attrString(NFTA_TABLE_NAME, table.name())
                .attrBe32(NFTA_TABLE_FLAGS, 0);
        return add(m, "add table " + table);
    }

    /**
     * {@code delete table}: the table and all it holds. The table must be there (else the kernel
     * refuses the batch with ENOENT); an {@link #addTable} after it in the same batch makes it anew.
     */
    public NftBatch deleteTable(Table table) {
        NlWriter m = message(NFT_MSG_DELTABLE, table.family(), 0).attrString(NFTA_TABLE_NAME, table.name());
        return add(m, "delete table " + table);
    }

    /**
     * {@code add chain ... { type <type> hook <hook> priority <priority>; policy accept; }}: a base
     * chain, made unless it is there (an existing one keeps its rules).
     */
    public NftBatch addBaseChain(Chain chain, String type, Hook hook, int priority) {
        NlWriter m = message(NFT_MSG_NEWCHAIN, chain.table().family(), Uapi.NLM_F_CREATE)
                .attrString(NFTA_CHAIN_TABLE, chain.table().name())
                .attrString(NFTA_CHAIN_NAME, chain.name())
                .attrString(NFTA_CHAIN_TYPE, type)
                .attrBe32(NFTA_CHAIN_POLICY, NftExpr.Verdict.ACCEPT);
        int hookNest = m.nest(NFTA_CHAIN_HOOK | Uapi.NLA_F_NESTED);
        m.attrBe32(NFTA_HOOK_HOOKNUM, hook.ordinal()).attrBe32(NFTA_HOOK_PRIORITY, priority).end(hookNest);
        return add(m, "add chain " + chain + " { type " + type + " hook " + hook.name().toLowerCase()
                + " priority " + priority + " }");
    }

    /** {@code flush chain}: every rule of the chain deleted. */
    public NftBatch flush(Chain chain) {
        NlWriter m = message(NFT_MSG_DELRULE, chain.table().family(), 0)
                .attrString(NFTA_RULE_TABLE, chain.table().name())
                .attrString(NFTA_RULE_CHAIN, chain.name());
        return add(m, "flush chain " + chain);
    }

    /**
     * {@code add rule}: the expressions appended to the chain as one rule; an anonymous set a
     * {@link NftExpr.Lookup} names is made (with its elements) just before it.
     */
    public NftBatch addRule(Chain chain, List<NftExpr> expressions) {
        List<Integer> setIdsOfRule = new ArrayList<>();
        for (NftExpr e : expressions) {
            if (e instanceof NftExpr.Lookup lookup) {
                int id = ++setIds;
                setIdsOfRule.add(id);
                addAnonymousSet(chain.table(), id, lookup.set());
            }
        }
        NlWriter m = message(NFT_MSG_NEWRULE, chain.table().family(), Uapi.NLM_F_CREATE | NLM_F_APPEND)
                .attrString(NFTA_RULE_TABLE, chain.table().name())
                .attrString(NFTA_RULE_CHAIN, chain.name());
        int list = m.nest(NFTA_RULE_EXPRESSIONS | Uapi.NLA_F_NESTED);
        int nextSet = 0;
        for (NftExpr e : expressions) {
            int setId = e instanceof NftExpr.Lookup ? setIdsOfRule.get(nextSet++) : 0;
            expression(m, e, setId);
        }
        m.end(list);
        return add(m, "add rule " + chain + " (rule " + ++rules + " of the batch)");
    }

    private void addAnonymousSet(Table table, int id, NftExpr.AnonymousSet set) {
        NlWriter s = message(NFT_MSG_NEWSET, table.family(), Uapi.NLM_F_CREATE)
                .attrString(NFTA_SET_TABLE, table.name())
                .attrString(NFTA_SET_NAME, ANONYMOUS_SET_NAME)
                .attrBe32(NFTA_SET_FLAGS, NFT_SET_ANONYMOUS | NFT_SET_CONSTANT)
                .attrBe32(NFTA_SET_KEY_TYPE, set.keyType())
                .attrBe32(NFTA_SET_KEY_LEN, set.keyLength())
                .attrBe32(NFTA_SET_ID, id);
        int desc = s.nest(NFTA_SET_DESC | Uapi.NLA_F_NESTED);
        s.attrBe32(NFTA_SET_DESC_SIZE, set.elements().size()).end(desc);
        add(s, "add anonymous set " + id + " of table " + table);
        NlWriter elements = message(NFT_MSG_NEWSETELEM, table.family(), Uapi.NLM_F_CREATE)
                .attrString(NFTA_SET_ELEM_LIST_TABLE, table.name())
                .attrString(NFTA_SET_ELEM_LIST_SET, ANONYMOUS_SET_NAME)
                .attrBe32(NFTA_SET_ELEM_LIST_SET_ID, id);
        int list = elements.nest(NFTA_SET_ELEM_LIST_ELEMENTS | Uapi.NLA_F_NESTED);
        List<byte[]> keys = set.elements();
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            // numbered from 1, as libnftnl does; the kernel reads the elements whatever their type
            int element = elements.nest((i + 1) | Uapi.NLA_F_NESTED);
            data(elements, NFTA_SET_ELEM_KEY, key);
            elements.end(element);
        }
        elements.end(list);
        add(elements, "add " + set.elements().size() + " elements to anonymous set " + id + " of table " + table);
    }

    /** One element of a rule's expression list: {@code NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA { ... } }}. */
    private static void expression(NlWriter m, NftExpr e, int setId) {
        int element = m.nest(NFTA_LIST_ELEM | Uapi.NLA_F_NESTED);
        switch (e) {
            case NftExpr.Payload p -> {
                m.attrString(NFTA_EXPR_NAME, "payload");
                int d = m.nest(NFTA_EXPR_DATA | Uapi.NLA_F_NESTED);
                m.attrBe32(NFTA_PAYLOAD_DREG, p.dreg()).attrBe32(NFTA_PAYLOAD_BASE, p.base().value)
                        .attrBe32(NFTA_PAYLOAD_OFFSET, p.offset()).attrBe32(NFTA_PAYLOAD_LEN, p.length()).end(d);
            }
            case NftExpr.PayloadWrite w -> {
                m.attrString(NFTA_EXPR_NAME, "payload");
                int d = m.nest(NFTA_EXPR_DATA | Uapi.NLA_F_NESTED);
                m.attrBe32(NFTA_PAYLOAD_SREG, w.sreg()).attrBe32(NFTA_PAYLOAD_BASE, w.base().value)
                        .attrBe32(NFTA_PAYLOAD_OFFSET, w.offset()).attrBe32(NFTA_PAYLOAD_LEN, w.length())
                        .attrBe32(NFTA_PAYLOAD_CSUM_TYPE, NFT_PAYLOAD_CSUM_INET)
                        .attrBe32(NFTA_PAYLOAD_CSUM_OFFSET, w.csumOffset()).end(d);
            }
            case NftExpr.MetaL4proto meta -> {
                m.attrString(NFTA_EXPR_NAME, "meta");
                int d = m.nest(NFTA_EXPR_DATA | Uapi.NLA_F_NESTED);
                m.attrBe32(NFTA_META_KEY, NFT_META_L4PROTO).attrBe32(NFTA_META_DREG, meta.dreg()).end(d);
            }
            case NftExpr.CmpEq cmp -> {
                m.attrString(NFTA_EXPR_NAME, "cmp");
                int d = m.nest(NFTA_EXPR_DATA | Uapi.NLA_F_NESTED);
                m.attrBe32(NFTA_CMP_SREG, cmp.sreg()).attrBe32(NFTA_CMP_OP, NFT_CMP_EQ);
                data(m, NFTA_CMP_DATA, cmp.value());
                m.end(d);
            }
            case NftExpr.Immediate imm -> {
                m.attrString(NFTA_EXPR_NAME, "immediate");
                int d = m.nest(NFTA_EXPR_DATA | Uapi.NLA_F_NESTED);
                m.attrBe32(NFTA_IMMEDIATE_DREG, imm.dreg());
                data(m, NFTA_IMMEDIATE_DATA, imm.value());
                m.end(d);
            }
            case NftExpr.Verdict v -> {
                m.attrString(NFTA_EXPR_NAME, "immediate");
                int d = m.nest(NFTA_EXPR_DATA | Uapi.NLA_F_NESTED);
                m.attrBe32(NFTA_IMMEDIATE_DREG, NftExpr.REG_VERDICT);
                int data = m.nest(NFTA_IMMEDIATE_DATA | Uapi.NLA_F_NESTED);
                int verdict = m.nest(NFTA_DATA_VERDICT | Uapi.NLA_F_NESTED);
                m.attrBe32(NFTA_VERDICT_CODE, v.code()).end(verdict);
                m.end(data).end(d);
            }
            case NftExpr.Lookup lookup -> {
                m.attrString(NFTA_EXPR_NAME, "lookup");
                int d = m.nest(NFTA_EXPR_DATA | Uapi.NLA_F_NESTED);
                m.attrBe32(NFTA_LOOKUP_SREG, lookup.sreg()).attrString(NFTA_LOOKUP_SET, ANONYMOUS_SET_NAME)
                        .attrBe32(NFTA_LOOKUP_SET_ID, setId).end(d);
            }
        }
        m.end(element);
    }

    /** An nft_data value: {@code <type> { NFTA_DATA_VALUE <bytes> }}. */
    private static void data(NlWriter m, int type, byte[] value) {
        int nest = m.nest(type | Uapi.NLA_F_NESTED);
        m.attr(NFTA_DATA_VALUE, value).end(nest);
    }

    /**
     * Applies the batch in the calling thread's network namespace as one transaction, on a
     * netlink socket opened for it and closed again: everything or, on any error, nothing.
     */
    public void commit() {
        commit(KernelErrors.NONE);
    }

    /** {@link #commit()}, telling {@code errors} of the kernel's error answer. */
    public void commit(KernelErrors errors) {
        commit(delimiter(NFNL_MSG_BATCH_BEGIN, NFNL_SUBSYS_NFTABLES), errors);
    }

    /** {@link #commit(KernelErrors)} with the given batch begin (tests give one the kernel refuses). */
    void commit(NlWriter begin, KernelErrors errors) {
        if (messages.isEmpty()) {
            return;
        }
        try (NetlinkSocket socket = NetlinkSocket.open(Uapi.NETLINK_NETFILTER, errors)) {
            socket.batch(begin, messages, names, delimiter(NFNL_MSG_BATCH_END, NFNL_SUBSYS_NFTABLES),
                    "write nf_tables batch of " + messages.size() + " messages");
        }
    }

    /** What each message of the batch does, in order (as errors name them). */
    public List<String> describe() {
        return List.copyOf(names);
    }

    /** The messages' bytes with sequence numbers from {@code firstSeq}, for tests. */
    List<byte[]> encode(int firstSeq) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            out.add(messages.get(i).build(firstSeq + i));
        }
        return out;
    }

    private NftBatch add(NlWriter message, String name) {
        messages.add(message);
        names.add(name);
        return this;
    }

    /** A message of the batch: {@link #request} asking for an ack. */
    static NlWriter message(int type, NfProto family, int flags) {
        return request(type, family, Uapi.NLM_F_ACK | flags);
    }

    /** A request of nf_tables (also a dump's): nlmsghdr, then nfgenmsg (family, version 0, res_id 0). */
    static NlWriter request(int type, NfProto family, int flags) {
        return new NlWriter(NFNL_SUBSYS_NFTABLES << 8 | type, Uapi.NLM_F_REQUEST | flags)
                .u8(family.value).u8(0).be16(0);
    }

    /** Batch begin or end: nfgenmsg with family unspecified and res_id the subsystem (nf_tables). */
    static NlWriter delimiter(int type, int subsystem) {
        return new NlWriter(type, Uapi.NLM_F_REQUEST).u8(Uapi.AF_UNSPEC).u8(0).be16(subsystem);
    }
}
