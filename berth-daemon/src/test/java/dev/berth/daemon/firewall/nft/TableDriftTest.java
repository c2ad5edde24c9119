package dev.berth.daemon.firewall.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.nftables.NftChain;
import dev.berth.kernel.nftables.NftSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TableDrift} on listings shaped like nft 1.0.6's {@code -j list table} output. */
class TableDriftTest {

    /** The listing of a table as {@link BerthTable#skeleton()} makes it, without its rules or user chain if asked. */
    private static String listing(boolean withRules, boolean withUser) {
        List<String> items = new ArrayList<>(List.of(
                "{\"metainfo\": {\"version\": \"1.0.6\", \"json_schema_version\": 1}}",
                "{\"table\": {\"family\": \"inet\", \"name\": \"berth\", \"handle\": 1}}"));
        for (NftSet set : BerthTable.SETS) {
            String kind = set.dataType().isPresent() ? "map" : "set";
            items.add("{\"" + kind + "\": {\"family\": \"inet\", \"name\": \"" + set.name() + "\", \"table\": \"berth\"}}");
        }
        if (withUser) {
            items.add(chain("user"));
        }
        for (Map.Entry<NftChain, Integer> e : BerthTable.ruleCounts().entrySet()) {
            items.add(chain(e.getKey().name()));
            for (int i = 0; withRules && i < e.getValue(); i++) {
                items.add("{\"rule\": {\"family\": \"inet\", \"table\": \"berth\", \"chain\": \"" + e.getKey().name()
                        + "\", \"handle\": " + (100 + i) + ", \"expr\": [{\"accept\": null}]}}");
            }
        }
        return "{\"nftables\": [" + String.join(", ", items) + "]}";
    }

    private static String chain(String name) {
        return "{\"chain\": {\"family\": \"inet\", \"table\": \"berth\", \"name\": \"" + name + "\", \"handle\": 1}}";
    }

    @Test
    void theTableAsBuiltHasNoDrift() {
        assertEquals(List.of(), TableDrift.of(listing(true, true)));
    }

    @Test
    void aFlushedTableIsReportedPerChain() {
        List<String> drift = TableDrift.of(listing(false, true)).stream().map(KernelDrift::description).toList();
        long chainsWithRules = BerthTable.ruleCounts().values().stream().filter(n -> n > 0).count();
        assertEquals(chainsWithRules, drift.size(), drift::toString);
        assertTrue(drift.contains("firewall: chain inet berth forward has 0 rules, not 15"), drift::toString);
    }

    @Test
    void aMissingUserChainOrUnreadableListingIsDrift() {
        assertEquals(List.of(new KernelDrift(null, "firewall: chain inet berth user missing")),
                TableDrift.of(listing(true, false)));
        assertTrue(TableDrift.of("{\"nftables\": [").getFirst().description().startsWith("firewall: cannot read"));
    }
}
