package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the daemon has made in the test's host namespace, for "a client's clean-up removed everything"
 * checks: the links (bridges, veths), every set and map of the {@code inet berth} table with its
 * elements (networks, bridges, published ports), the containers and networks the API lists. Taken
 * once after start and again after the client is done; equal records mean nothing was left.
 */
record HostState(List<String> links, Map<String, String> nftElements, List<String> containers, List<String> networks) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static HostState of(Testbed bed) {
        List<String> links = bed.host().hostLinks().stream().map(LinkState::name).sorted().toList();
        Map<String, String> elements = new TreeMap<>();
        String listing = bed.run(HostFixture.inNamespace(bed.host().hostNs(), "nft", "-j", "list", "table", "inet", "berth"))
                .assertSuccess().stdout();
        try {
            for (JsonNode item : JSON.readTree(listing).path("nftables")) {
                for (String kind : List.of("set", "map")) {
                    JsonNode set = item.path(kind);
                    if (!set.isMissingNode()) {
                        elements.put(kind + " " + set.path("name").asText(), set.path("elem").toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> containers = bed.docker().ok("ps", "-a", "--format", "{{.Names}}").lines().stream().sorted().toList();
        List<String> networks = bed.docker().ok("network", "ls", "--format", "{{.Name}}").lines().stream().sorted().toList();
        return new HostState(links, elements, containers, networks);
    }

    /** Bridges and veths of the host namespace besides the ones a fresh daemon has (docker0). */
    List<String> extraLinks(HostState fresh) {
        return links.stream().filter(l -> !fresh.links.contains(l)).toList();
    }
}
