package dev.berth.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The rule reader's register machine over expression lists as the kernel sends them (the layout
 * {@code nft --debug=netlink} shows for Berth's redirect rules).
 */
class NftDnatRulesTest {
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
    void berthsRedirectRuleReadsAsItsDnat() throws Exception {
        InetAddress local = InetAddress.getByAddress(LOCAL);
        byte[] udp = redirect(17, 40001).expr("nat", 1, 1, 2, 2, 3, 1, 4, 1, 5, 2, 6, 2, 7, 3).bytes();
        assertEquals(new NftDnatRules.Dnat(17, local, 53, local, 40001), NftDnatRules.dnat(udp));
        byte[] tcp = redirect(6, 40002).expr("nat", 1, 1, 2, 2, 3, 1, 5, 2).bytes();
        assertEquals(new NftDnatRules.Dnat(6, local, 53, local, 40002), NftDnatRules.dnat(tcp));
    }

    @Test
    void anythingElseIsNotReadAsADnat() {
        assertNull(NftDnatRules.dnat(redirect(17, 40001).expr("nat", 1, 0, 2, 2, 3, 1, 5, 2).bytes()), "snat");
        assertNull(NftDnatRules.dnat(redirect(17, 40001).bytes()), "no nat at all");
        assertNull(NftDnatRules.dnat(redirect(17, 40001).expr("counter").expr("nat", 1, 1, 2, 2, 3, 1, 5, 2).bytes()),
                "an expression it does not know");
        assertNull(NftDnatRules.dnat(new Rule().expr("meta", 2, 16, 1, 1).expr("cmp", 1, 1, 2, 1, 3, new byte[] {17})
                .expr("immediate", 1, 1, 2, LOCAL).expr("immediate", 1, 2, 2, new byte[] {1, 1})
                .expr("nat", 1, 1, 2, 2, 3, 1, 5, 2).bytes()), "a comparison other than equality");
        assertNull(NftDnatRules.dnat(new Rule().expr("immediate", 1, 1, 2, LOCAL)
                .expr("nat", 1, 1, 2, 2, 3, 1, 5, 2).bytes()), "a port register never loaded");
        assertNull(NftDnatRules.dnat(null));
    }
}
