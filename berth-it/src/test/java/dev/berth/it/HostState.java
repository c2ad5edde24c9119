package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

    /**
     * Waits (up to 15 s) until the host is back to {@code fresh}: removed bridges and veths are deleted in
     * the background, off the request path. Fails with both records when it is not.
     */
    static void awaitBackTo(HostState fresh, Testbed bed) throws InterruptedException {
        List<HostState> last = new ArrayList<>(List.of(fresh));
        try {
            Poll.eventually(15, "the host back to what a fresh daemon has", () -> {
                last.set(0, of(bed));
                return fresh.equals(last.getFirst());
            });
        } catch (AssertionError e) {
            assertEquals(fresh, last.getFirst(), e.getMessage());
        }
    }
}
