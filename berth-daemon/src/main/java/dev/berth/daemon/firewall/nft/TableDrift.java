package dev.berth.daemon.firewall.nft;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.nftables.NftChain;
import dev.berth.kernel.nftables.NftSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares {@code nft -j list table inet berth} with {@link BerthTable}'s fixed layout: every
 * chain present with its rule count (a flushed table keeps its chains and sets but loses every
 * rule), the user chain present, every set and map present. Set elements are not compared:
 * a rebuild re-adds them, and the check stays one listing. Pure.
 */
final class TableDrift {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableDrift() {}

    static List<KernelDrift> of(String listing) {
        Map<String, Integer> rules = new HashMap<>();
        Set<String> chains = new HashSet<>();
        Set<String> sets = new HashSet<>();
        try {
            for (JsonNode item : JSON.readTree(listing).path("nftables")) {
                if (item.has("chain")) {
                    chains.add(item.path("chain").path("name").asText());
                } else if (item.has("rule")) {
                    rules.merge(item.path("rule").path("chain").asText(), 1, Integer::sum);
                } else if (item.has("set") || item.has("map")) {
                    sets.add(item.path(item.has("set") ? "set" : "map").path("name").asText());
                }
            }
        } catch (JacksonException e) {
            return List.of(drift("cannot read the listing of table " + BerthTable.TABLE.ref() + ": " + e.getOriginalMessage()));
        }
        List<KernelDrift> out = new ArrayList<>();
        if (!chains.contains(BerthTable.USER.name())) {
            out.add(drift("chain " + BerthTable.USER.ref() + " missing"));
        }
        for (Map.Entry<NftChain, Integer> e : BerthTable.ruleCounts().entrySet()) {
            String name = e.getKey().name();
            if (!chains.contains(name)) {
                out.add(drift("chain " + e.getKey().ref() + " missing"));
            } else if (rules.getOrDefault(name, 0) != e.getValue().intValue()) {
                out.add(drift("chain " + e.getKey().ref() + " has " + rules.getOrDefault(name, 0) + " rules, not "
                        + e.getValue()));
            }
        }
        for (NftSet set : BerthTable.SETS) {
            if (!sets.contains(set.name())) {
                out.add(drift("set " + set.ref() + " missing"));
            }
        }
        return out;
    }

    static KernelDrift drift(String what) {
        return new KernelDrift(null, "firewall: " + what);
    }
}
