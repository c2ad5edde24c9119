package dev.berth.kernel.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.testing.ThrowawayNs;

/**
 * libnftables through FFM in a throwaway namespace: apply, change elements, atomic failure, read
 * back with {@code nft -j}. The initial namespace's ruleset is never touched.
 */
class NftContextIT {
    private static final NftTable TABLE = new NftTable(NftFamily.INET, "x");
    private static final NftSet LAN = NftSet.set(TABLE, "lan", "ifname");
    private static final NftChain FORWARD = NftChain.base(TABLE, "forward",
            new NftChain.Hook("filter", "forward", "filter", NftChain.Policy.ACCEPT));

    private ThrowawayNs ns;
    private NftContext nft;

    @BeforeEach
    void setUp() {
        ns = ThrowawayNs.create();
        try (NetNs handle = NetNs.open(Path.of("/run/netns", ns.name()))) {
            nft = handle.call(NftContext::open);
        }
    }

    @AfterEach
    void tearDown() {
        try {
            if (nft != null) {
                nft.close();
            }
        } finally {
            ns.close();
        }
    }

    private String nftJson(String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "nft";
        cmd[1] = "-j";
        System.arraycopy(args, 0, cmd, 2, args.length);
        ThrowawayNs.Shell.Result r = ns.exec(cmd);
        assertEquals(0, r.exit(), r.output());
        return r.output();
    }

    private String base() {
        return new NftScript().add(TABLE).add(LAN).add(FORWARD)
                .add(new NftRule(FORWARD, "iifname != @lan oifname @lan drop"))
                .addElements(LAN, List.of(NftText.quoted("br0"))).render();
    }

    @Test
    void appliesATableInsideTheNamespaceOnly() {
        nft.run(base());
        String json = nftJson("list", "table", "inet", "x");
        assertTrue(json.contains("\"name\": \"forward\""), json);
        assertTrue(json.contains("\"elem\": [\"br0\"]") || json.contains("\"elem\": \"br0\""), json);
        assertTrue(nft.query("list set inet x lan").contains("br0"));
        // The daemon's (test JVM's) namespace has no such table.
        ThrowawayNs.Shell.Result outside = ThrowawayNs.Shell.run("nft", "list", "table", "inet", "x");
        assertNotEquals(0, outside.exit(), "table leaked into the initial namespace");
    }

    @Test
    void addsAndDeletesElements() {
        nft.run(base());
        nft.run(new NftScript().addElements(LAN, List.of(NftText.quoted("br1"), NftText.quoted("br2"))).render());
        nft.run(new NftScript().deleteElements(LAN, List.of(NftText.quoted("br0"))).render());
        String json = nftJson("list", "set", "inet", "x", "lan");
        assertTrue(json.contains("br1") && json.contains("br2") && !json.contains("\"br0\""), json);
        nft.run(new NftScript().deleteElementsIfPresent(LAN, List.of(NftText.quoted("br1"), NftText.quoted("gone"))).render());
        json = nftJson("list", "set", "inet", "x", "lan");
        assertTrue(json.contains("br2") && !json.contains("br1") && !json.contains("gone"), json);
    }

    @Test
    void aFailingScriptLeavesThePreviousRulesetIntact() {
        nft.run(base());
        String before = nftJson("list", "table", "inet", "x");
        String bad = new NftScript().addElements(LAN, List.of(NftText.quoted("br9")))
                .add(new NftRule(FORWARD, "iifname @nosuchset drop")).render();
        NftException e = assertThrows(NftException.class, () -> nft.run(bad));
        // nft names the error but, for kernel-side failures, may point at another line of the batch.
        assertTrue(e.getMessage().contains("Error:"), e.getMessage());
        assertEquals(bad, e.script());
        assertEquals(before, nftJson("list", "table", "inet", "x"), "br9 must not have been added");
        // The context stays usable after a failure, and its buffers were rewound.
        assertEquals("", nft.run(new NftScript().addElements(LAN, List.of(NftText.quoted("br3"))).render()));
        assertTrue(nftJson("list", "set", "inet", "x", "lan").contains("br3"));
    }

    @Test
    void closedContextFailsClearly() {
        nft.close();
        assertThrows(NftException.class, () -> nft.run("list ruleset"));
        nft.close();
    }
}
