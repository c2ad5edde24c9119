package dev.berth.kernel.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class NftScriptTest {
    private final NftTable table = new NftTable(NftFamily.INET, "demo");
    private final NftChain forward = NftChain.base(table, "forward",
            new NftChain.Hook("filter", "forward", "filter", NftChain.Policy.ACCEPT));
    private final NftChain user = NftChain.regular(table, "user");
    private final NftSet lan = NftSet.set(table, "lan", "ifname");
    private final NftSet nets = NftSet.set(table, "nets", "ipv4_addr", "interval");
    private final NftSet ports = NftSet.map(table, "ports", "inet_proto . inet_service", "ipv4_addr . inet_service");

    @Test
    void rendersEveryCommandKind() {
        String text = new NftScript().add(table).add(user).add(forward).flush(forward)
                .add(lan).add(nets).add(ports).flush(ports)
                .add(new NftRule(forward, "jump user"))
                .addElements(lan, List.of(NftText.quoted("br0"), NftText.quoted("br1")))
                .addElements(nets, List.of())
                .deleteElementsIfPresent(ports, List.of(NftText.mapping(NftText.concat("tcp", "80"),
                        NftText.concat("10.0.0.2", "8080"))))
                .delete(user).delete(table).render();
        assertEquals("""
                add table inet demo
                add chain inet demo user
                add chain inet demo forward { type filter hook forward priority filter; policy accept; }
                flush chain inet demo forward
                add set inet demo lan { type ifname; }
                add set inet demo nets { type ipv4_addr; flags interval; }
                add map inet demo ports { type inet_proto . inet_service : ipv4_addr . inet_service; }
                flush map inet demo ports
                add rule inet demo forward jump user
                add element inet demo lan { "br0", "br1" }
                add element inet demo ports { tcp . 80 : 10.0.0.2 . 8080 }
                delete element inet demo ports { tcp . 80 : 10.0.0.2 . 8080 }
                delete chain inet demo user
                delete table inet demo
                """, text);
    }

    @Test
    void getElementsAsksByKeyAlsoInAMap() {
        String element = NftText.mapping(NftText.concat("tcp", "80"), NftText.concat("10.0.0.2", "8080"));
        assertEquals("tcp . 80", NftText.key(element));
        assertEquals("\"br0\"", NftText.key(NftText.quoted("br0")));
        assertEquals("get element inet demo ports { tcp . 80 }", NftScript.getElements(ports, List.of(NftText.key(element))));
        assertEquals("get element inet demo lan { \"br0\", \"br1\" }",
                NftScript.getElements(lan, List.of(NftText.quoted("br0"), NftText.quoted("br1"))));
        assertThrows(IllegalArgumentException.class, () -> NftScript.getElements(lan, List.of("a }; flush ruleset")));
    }

    @Test
    void emptyScriptRendersNothing() {
        assertEquals("", new NftScript().render());
    }

    @Test
    void rejectsTextThatCouldEscapeItsStatement() {
        assertThrows(IllegalArgumentException.class, () -> NftText.quoted("br0\" accept; add table x"));
        assertThrows(IllegalArgumentException.class, () -> NftText.quoted("br 0"));
        assertThrows(IllegalArgumentException.class, () -> NftText.identifier("x; flush ruleset"));
        assertThrows(IllegalArgumentException.class, () -> new NftRule(forward, "accept\nflush ruleset"));
        assertThrows(IllegalArgumentException.class, () -> new NftScript().addElements(lan, List.of("a }; flush ruleset")));
        assertThrows(IllegalArgumentException.class, () -> new NftChain.Hook("filter", "forward", "0; policy drop", NftChain.Policy.ACCEPT));
        assertThrows(IllegalArgumentException.class, () -> NftSet.set(table, "s", "ifname; flags x"));
    }

    @Test
    void priorityAcceptsNumbersAndKeywordsWithOffsets() {
        new NftChain.Hook("nat", "output", "-100", NftChain.Policy.ACCEPT);
        new NftChain.Hook("filter", "prerouting", "raw", NftChain.Policy.ACCEPT);
        new NftChain.Hook("filter", "forward", "filter - 1", NftChain.Policy.DROP);
    }
}
