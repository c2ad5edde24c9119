package dev.berth.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.testing.ThrowawayNs;
import dev.berth.kernel.testing.ThrowawayNsExtension;
import java.net.Inet4Address;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * nf_tables batches written over netlink in a throwaway namespace, checked with the nft tool:
 * what is written lists as nft's own text does, a second batch replaces the rules, the rules read
 * back ({@link NftRules}), a table deleted and made anew in one batch, and a batch the kernel
 * refuses leaves nothing behind.
 */
@ExtendWith(ThrowawayNsExtension.class)
class NftBatchIT {
    private static final Inet4Address LOCAL = NftBatchTest.LOCAL;
    private static final NftBatch.Table NAT = new NftBatch.Table(NfProto.IPV4, "bk-nat");
    private static final NftBatch.Chain OUT = new NftBatch.Chain(NAT, "queries");
    private static final NftBatch.Chain POST = new NftBatch.Chain(NAT, "replies");

    /** {@link NftBatchTest}'s transaction, with tables {@code ip bk-nat} and {@code ip6 bk-quiet}. */
    private static NftBatch batch(int udp, int tcp) {
        return NftBatchTest.redirect("bk-nat", "bk-quiet", udp, tcp);
    }

    @SafeVarargs
    private static List<NftExpr> concat(List<NftExpr>... parts) {
        return NftBatchTest.concat(parts);
    }

    private static String nft(ThrowawayNs ns, String... args) {
        String[] cmd = Stream.concat(Stream.of("nft"), Stream.of(args)).toArray(String[]::new);
        ThrowawayNs.Shell.Result r = ns.exec(cmd);
        assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.output());
        return r.output();
    }

    /** {@code nft -f} of {@code script} in the namespace, from a temp file removed again. */
    private static void nftScript(ThrowawayNs ns, String script) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("bk-nft", ".nft");
        try {
            java.nio.file.Files.writeString(file, script);
            nft(ns, "-f", file.toString());
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    private static void commit(ThrowawayNs ns, NftBatch batch) {
        ns.handle().call(() -> {
            batch.commit();
            return null;
        });
    }

    @Test
    void aBatchListsAsNftsOwnTextAndAnotherReplacesItsRules(ThrowawayNs ns) throws Exception {
        commit(ns, batch(40001, 40002));
        try (ThrowawayNs byNft = ThrowawayNs.create()) {
            nftScript(byNft, NftBatchTest.script("bk-nat", "bk-quiet", 40001, 40002));
            for (String table : List.of("ip bk-nat", "ip6 bk-quiet")) {
                String[] t = table.split(" ");
                assertEquals(nft(byNft, "list", "table", t[0], t[1]), nft(ns, "list", "table", t[0], t[1]), table);
            }
        }
        commit(ns, batch(40011, 40012));
        String nat = nft(ns, "list", "table", "ip", "bk-nat");
        assertFalse(nat.contains("4000"), nat);
        assertEquals(2, nat.lines().filter(l -> l.contains("dport 53") && l.contains("dport set 4001")).count(), nat);
        assertEquals(2, nat.lines().filter(l -> l.contains("sport set 53")).count(), nat);
        String quiet = nft(ns, "list", "table", "ip6", "bk-quiet");
        assertEquals(1, quiet.lines().filter(l -> l.contains("drop")).count(), quiet);
        assertEquals(1, nft(ns, "--debug=netlink", "list", "table", "ip6", "bk-quiet").lines()
                .filter(l -> l.startsWith("ip6 bk-quiet @__set")).count(), "one anonymous set: the first went with its rule");
        assertEquals(List.of(new NftRules.Rule(17, null, LOCAL, -1, 53, new NftRules.SetPort(true, 40011)),
                new NftRules.Rule(6, null, LOCAL, -1, 53, new NftRules.SetPort(true, 40012))),
                ns.handle().call(() -> NftRules.read(OUT)));
        assertEquals(List.of(new NftRules.Rule(17, LOCAL, null, 40011, -1, new NftRules.SetPort(false, 53)),
                new NftRules.Rule(6, LOCAL, null, 40012, -1, new NftRules.SetPort(false, 53))),
                ns.handle().call(() -> NftRules.read(POST)));
        assertEquals(List.of(), ns.handle().call(() -> NftRules.read(new NftBatch.Chain(NAT, "none"))), "no such chain");
    }

    /**
     * A table with nat chains (an earlier version's DNAT redirect, written by nft) deleted and made
     * anew in one batch: the nat chains are gone, the new chains hold the new rules, and the DNAT
     * rules read back before it.
     */
    @Test
    void aTableDeletedAndMadeAnewInOneBatchHoldsOnlyTheNewChains(ThrowawayNs ns) throws Exception {
        nftScript(ns, """
                table ip bk-nat {
                  chain output { type nat hook output priority -100; policy accept;
                    ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:40001; }
                  chain postrouting { type nat hook postrouting priority 100; policy accept;
                    ip saddr 127.0.0.11 udp sport 40001 snat to :53; }
                }
                """);
        assertEquals(List.of(new NftRules.Rule(17, null, LOCAL, -1, 53, new NftRules.Dnat(LOCAL, 40001))),
                ns.handle().call(() -> NftRules.read(new NftBatch.Chain(NAT, "output"))));
        commit(ns, NftBatchTest.redirect(new NftBatch().deleteTable(NAT), "bk-nat", "bk-quiet", 40001, 40002));
        String table = nft(ns, "list", "table", "ip", "bk-nat");
        assertFalse(table.contains("type nat"), table);
        assertFalse(table.contains("chain output") || table.contains("chain postrouting"), table);
        assertEquals(4, table.lines().filter(l -> l.contains(" set ")).count(), table);
        KernelException e = assertThrows(KernelException.class, () -> commit(ns, new NftBatch()
                .deleteTable(new NftBatch.Table(NfProto.IPV4, "bk-none"))));
        assertEquals(Errno.ENOENT, e.errno(), "a table that is not there: " + e.getMessage());
    }

    /**
     * A batch the kernel refuses in its third message: the error names that message and its
     * errno, and the tables the first two made are not there (one transaction); a table that was
     * there before keeps its rules although the refused batch flushed them first.
     */
    @Test
    void aRefusedBatchLeavesNothingBehind(ThrowawayNs ns) {
        NftBatch bad = new NftBatch().addTable(NAT)
                .addBaseChain(OUT, "filter", NftBatch.Hook.OUTPUT, -300)
                .addBaseChain(POST, "no-such-type", NftBatch.Hook.POSTROUTING, 100)
                .flush(OUT)
                .addRule(OUT, concat(NftExpr.ipv4Daddr(LOCAL), NftExpr.l4proto(17), NftExpr.dport(53), NftExpr.setDport(17, 1)));
        KernelException e = assertThrows(KernelException.class, () -> commit(ns, bad));
        assertEquals(Errno.ENOENT, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("add chain ip bk-nat replies"), e.getMessage());
        assertEquals("", nft(ns, "list", "tables").strip(), "no table left");

        commit(ns, batch(40001, 40002));
        String before = nft(ns, "list", "table", "ip", "bk-nat");
        NftBatch refusedRule = new NftBatch().flush(OUT).flush(POST)
                .addRule(OUT, concat(NftExpr.ipv4Daddr(LOCAL), NftExpr.l4proto(17), NftExpr.dport(53), NftExpr.setDport(17, 1)))
                .addRule(new NftBatch.Chain(NAT, "no-such-chain"), List.of(NftExpr.drop()));
        e = assertThrows(KernelException.class, () -> commit(ns, refusedRule));
        assertEquals(Errno.ENOENT, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("add rule ip bk-nat no-such-chain"), e.getMessage());
        assertEquals(before, nft(ns, "list", "table", "ip", "bk-nat"), "the flushes and the first rule undone");
    }

    /**
     * A batch the kernel refuses as a whole (its begin names a subsystem that does not exist):
     * answered on the begin's sequence number alone, and nothing of it is made.
     */
    @Test
    void aBatchRefusedAsAWholeFailsOnItsBeginAndMakesNothing(ThrowawayNs ns) {
        NftBatch batch = batch(40001, 40002);
        NlWriter badBegin = NftBatch.delimiter(NftUapi.NFNL_MSG_BATCH_BEGIN, 99);
        KernelException e = assertThrows(KernelException.class, () -> ns.handle().call(() -> {
            batch.commit(badBegin, dev.berth.kernel.ffm.KernelErrors.NONE);
            return null;
        }));
        assertEquals(Errno.EINVAL, e.errno(), e.getMessage()); // res_id past the last subsystem
        assertTrue(e.getMessage().contains("the batch as a whole"), e.getMessage());
        assertEquals("", nft(ns, "list", "tables").strip(), "no table made");
    }
}
