package dev.berth.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The rule reader's register machine over expression lists as the kernel sends them (the layout
 * {@code nft --debug=netlink} shows for Berth's redirect rules, today's and an earlier version's).
 */
class NftRulesTest {
    private static final byte[] LOCAL = {127, 0, 0, 11};

    /** An expression list being written: NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA { ... } } each. */
    private static final class Rule {
        private final NlWriter w = new NlWriter(0, 0);

        Rule expr(String name, Object... attrs) {
            int elem = w.nest(1);
            w.attrString(1, name);
            int data = w.nest(2);
            for (int i = 0; i < attrs.length; i += 2) {
                int type = (Integer) attrs[i];
                if (attrs[i + 1] instanceof byte[] value) { // nft_data: NFTA_DATA_VALUE inside
                    int nest = w.nest(type);
                    w.attr(1, value);
                    w.end(nest);
                } else {
                    w.attr(type, ByteBuffer.allocate(4).putInt((Integer) attrs[i + 1]).array());
                }
            }
            w.end(data);
            w.end(elem);
            return this;
        }

        byte[] bytes() {
            byte[] all = w.build(0);
            return Arrays.copyOfRange(all, 16, all.length);
        }
    }

    /** {@code ip daddr 127.0.0.11 <proto> dport 53 dnat to 127.0.0.11:<port>}, with {@code extra} before the nat. */
    private static Rule redirect(int proto, int port) {
        return new Rule()
                .expr("payload", 1, 1, 2, 1, 3, 16, 4, 4)
                .expr("cmp", 1, 1, 2, 0, 3, LOCAL)
                .expr("meta", 2, 16, 1, 1)
                .expr("cmp", 1, 1, 2, 0, 3, new byte[] {(byte) proto})
                .expr("payload", 1, 1, 2, 2, 3, 2, 4, 2)
                .expr("cmp", 1, 1, 2, 0, 3, new byte[] {0, 53})
                .expr("immediate", 1, 1, 2, LOCAL)
                .expr("immediate", 1, 2, 2, new byte[] {(byte) (port >> 8), (byte) port});
    }

    @Test
    void anEarlierVersionsRedirectRuleReadsAsItsDnat() throws Exception {
        InetAddress local = InetAddress.getByAddress(LOCAL);
        byte[] udp = redirect(17, 40001).expr("nat", 1, 1, 2, 2, 3, 1, 4, 1, 5, 2, 6, 2, 7, 3).bytes();
        assertEquals(new NftRules.Rule(17, null, local, -1, 53, new NftRules.Dnat(local, 40001)), NftRules.rule(udp));
        byte[] tcp = redirect(6, 40002).expr("nat", 1, 1, 2, 2, 3, 1, 5, 2).bytes();
        assertEquals(new NftRules.Rule(6, null, local, -1, 53, new NftRules.Dnat(local, 40002)), NftRules.rule(tcp));
    }

    /**
     * {@code ip daddr 127.0.0.11 udp dport 53 udp dport set 40001} and {@code ip saddr 127.0.0.11
     * tcp sport 40002 tcp sport set 53}: the immediate goes to register 1, the payload write
     * (sreg 1, transport header, offset 2 or 0, 2 bytes, csum type 1 at 6 or 16) takes it.
     */
    @Test
    void berthsPortRewritesReadAsTheyAreWritten() throws Exception {
        InetAddress local = InetAddress.getByAddress(LOCAL);
        byte[] query = new Rule()
                .expr("payload", 1, 1, 2, 1, 3, 16, 4, 4)
                .expr("cmp", 1, 1, 2, 0, 3, LOCAL)
                .expr("meta", 2, 16, 1, 1)
                .expr("cmp", 1, 1, 2, 0, 3, new byte[] {17})
                .expr("payload", 1, 1, 2, 2, 3, 2, 4, 2)
                .expr("cmp", 1, 1, 2, 0, 3, new byte[] {0, 53})
                .expr("immediate", 1, 1, 2, new byte[] {(byte) 0x9c, 0x41})
                .expr("payload", 5, 1, 2, 2, 3, 2, 4, 2, 6, 1, 7, 6).bytes();
        assertEquals(new NftRules.Rule(17, null, local, -1, 53, new NftRules.SetPort(true, 40001)), NftRules.rule(query));
        byte[] reply = new Rule()
                .expr("payload", 1, 1, 2, 1, 3, 12, 4, 4)
                .expr("cmp", 1, 1, 2, 0, 3, LOCAL)
                .expr("meta", 2, 16, 1, 1)
                .expr("cmp", 1, 1, 2, 0, 3, new byte[] {6})
                .expr("payload", 1, 1, 2, 2, 3, 0, 4, 2)
                .expr("cmp", 1, 1, 2, 0, 3, new byte[] {(byte) 0x9c, 0x42})
                .expr("immediate", 1, 1, 2, new byte[] {0, 53})
                .expr("payload", 5, 1, 2, 2, 3, 0, 4, 2, 6, 1, 7, 16).bytes();
        assertEquals(new NftRules.Rule(6, local, null, 40002, -1, new NftRules.SetPort(false, 53)), NftRules.rule(reply));
    }

    @Test
    void anythingElseIsNotRead() {
        assertNull(NftRules.rule(redirect(17, 40001).expr("nat", 1, 0, 2, 2, 3, 1, 5, 2).bytes()), "snat");
        assertNull(NftRules.rule(redirect(17, 40001).bytes()), "no action at all");
        assertNull(NftRules.rule(redirect(17, 40001).expr("counter").expr("nat", 1, 1, 2, 2, 3, 1, 5, 2).bytes()),
                "an expression it does not know");
        assertNull(NftRules.rule(new Rule().expr("meta", 2, 16, 1, 1).expr("cmp", 1, 1, 2, 1, 3, new byte[] {17})
                .expr("immediate", 1, 1, 2, LOCAL).expr("immediate", 1, 2, 2, new byte[] {1, 1})
                .expr("nat", 1, 1, 2, 2, 3, 1, 5, 2).bytes()), "a comparison other than equality");
        assertNull(NftRules.rule(new Rule().expr("immediate", 1, 1, 2, LOCAL)
                .expr("nat", 1, 1, 2, 2, 3, 1, 5, 2).bytes()), "a port register never loaded");
        assertNull(NftRules.rule(redirect(17, 40001).expr("payload", 5, 1, 2, 1, 3, 16, 4, 4).bytes()),
                "a write of the address, not a port");
        assertNull(NftRules.rule(redirect(17, 40001).expr("payload", 5, 3, 2, 2, 3, 2, 4, 2).bytes()),
                "a port write from a register never loaded");
        assertNull(NftRules.rule(redirect(17, 40001).expr("nat", 1, 1, 2, 2, 3, 1, 5, 2)
                .expr("payload", 5, 2, 2, 2, 3, 2, 4, 2).bytes()), "two actions");
        assertNull(NftRules.rule(null));
    }
}
