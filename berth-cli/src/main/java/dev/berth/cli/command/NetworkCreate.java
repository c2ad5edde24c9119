package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import dev.berth.cli.format.JsonWriter;
import dev.berth.cli.http.EngineClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code berth network create}: docker's flags and client-side IPAM checks, then
 * {@code POST /networks/create} with the body the docker CLI 28.2 sends, field for field
 * ({@code EnableIPv4/EnableIPv6} only when the flag was given). Prints the new {@code Id}.
 * Unlike docker 28.2, a non-empty {@code Warning} in the answer is shown on stderr.
 */
public final class NetworkCreate extends LeafCommand {

    public NetworkCreate() {
        super("create", "Create a network", Usage.exactly(1, "[OPTIONS] NETWORK"));
    }

    @Override
    protected String description() {
        return "Create a network\n\nA warning returned by the daemon is printed to stderr as \"WARNING: ...\"\n"
                + "(the docker CLI 28.2 does not show it).";
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .bool("attachable", '\0', "Enable manual container attachment")
                .list("aux-address", '\0', "map", "Auxiliary IPv4 or IPv6 addresses used by\nNetwork driver (default map[])")
                .string("config-from", '\0', "string", "The network from which to copy the configuration")
                .bool("config-only", '\0', "Create a configuration only network")
                .string("driver", 'd', "string", "Driver to manage the Network (default \"bridge\")")
                .list("gateway", '\0', "strings", "IPv4 or IPv6 Gateway for the master subnet")
                .bool("ingress", '\0', "Create swarm routing-mesh network")
                .bool("internal", '\0', "Restrict external access to the network")
                .list("ip-range", '\0', "strings", "Allocate container ip from a sub-range")
                .string("ipam-driver", '\0', "string", "IP Address Management Driver (default \"default\")")
                .list("ipam-opt", '\0', "map", "Set IPAM driver specific options (default map[])")
                .bool("ipv4", '\0', "Enable or disable IPv4 address assignment\n(default true)")
                .bool("ipv6", '\0', "Enable or disable IPv6 address assignment")
                .list("label", '\0', "list", "Set metadata on a network")
                .list("opt", 'o', "map", "Set driver specific options (default map[])")
                .string("scope", '\0', "string", "Control the network's scope")
                .list("subnet", '\0', "strings", "Subnet in CIDR format that represents a\nnetwork segment");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        Map<String, String> labels = labels(invocation, options.list("label"));
        IpamFlags ipam = new IpamFlags(csv(options.list("subnet")), csv(options.list("ip-range")),
                csv(options.list("gateway")), keyValues(options.list("aux-address")));
        List<IpamFlags.Entry> config;
        try {
            config = ipam.consolidate();
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage(), 1);
        }
        EngineClient engine = invocation.engine();
        String body = body(options, config, labels, EngineClient.lessThan(engine.apiVersion(), "1.44"));
        JsonNode created = engine.postJson("/networks/create", Map.of(), body);
        invocation.out().println(created.path("Id").asText(""));
        String warning = created.path("Warning").asText("");
        if (!warning.isEmpty()) {
            invocation.err().println("WARNING: " + warning);
        }
        return 0;
    }

    /** docker's {@code ValidateLabel} on each {@code --label}, then {@code ConvertKVStringsToMap}. */
    private Map<String, String> labels(Invocation invocation, List<String> values) {
        for (String value : values) {
            String key = value.split("=", 2)[0].strip();
            if (key.isEmpty()) {
                throw invalidFlag(invocation, "invalid argument \"" + value + "\" for \"--label\" flag: invalid label '"
                        + value + "': empty name");
            }
            if (key.contains(" ") || key.contains("\t")) {
                throw invalidFlag(invocation, "invalid argument \"" + value + "\" for \"--label\" flag: label '"
                        + key + "' contains whitespaces");
            }
        }
        return keyValues(values);
    }

    /** {@code k=v} (or bare {@code k} for an empty value) into a map; a later key wins. */
    static Map<String, String> keyValues(List<String> values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            map.put(eq < 0 ? value : value.substring(0, eq), eq < 0 ? "" : value.substring(eq + 1));
        }
        return map;
    }

    /** pflag's string-slice flags: each occurrence is a comma-separated list. */
    private static List<String> csv(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            if (!value.isEmpty()) {
                out.addAll(List.of(value.split(",", -1)));
            }
        }
        return out;
    }

    /** The {@code NetworkCreateRequest} as the docker client encodes it. */
    private static String body(Flags.Options options, List<IpamFlags.Entry> config, Map<String, String> labels,
            boolean checkDuplicate) {
        JsonWriter json = new JsonWriter().beginObject()
                .name("Driver").value(options.string("driver", "bridge"))
                .name("Scope").value(options.string("scope", ""));
        if (options.given("ipv4")) {
            json.name("EnableIPv4").value(options.bool("ipv4"));
        }
        if (options.given("ipv6")) {
            json.name("EnableIPv6").value(options.bool("ipv6"));
        }
        json.name("IPAM").beginObject()
                .name("Driver").value(options.string("ipam-driver", "default"))
                .name("Options").stringMap(keyValues(options.list("ipam-opt")))
                .name("Config").beginArray();
        for (IpamFlags.Entry entry : config) {
            entry(json, entry);
        }
        json.endArray().endObject()
                .name("Internal").value(options.bool("internal"))
                .name("Attachable").value(options.bool("attachable"))
                .name("Ingress").value(options.bool("ingress"))
                .name("ConfigOnly").value(options.bool("config-only"))
                .name("ConfigFrom");
        String from = options.string("config-from", "");
        if (from.isEmpty()) {
            json.nullValue();
        } else {
            json.beginObject().name("Network").value(from).endObject();
        }
        json.name("Options").stringMap(keyValues(options.list("opt")))
                .name("Labels").stringMap(labels)
                .name("Name").value(options.positional().getFirst());
        if (checkDuplicate) {
            json.name("CheckDuplicate").value(true);
        }
        return json.endObject().encoderText();
    }

    private static void entry(JsonWriter json, IpamFlags.Entry entry) {
        json.beginObject();
        if (!entry.subnet().isEmpty()) {
            json.name("Subnet").value(entry.subnet());
        }
        if (!entry.range().isEmpty()) {
            json.name("IPRange").value(entry.range());
        }
        if (!entry.gateway().isEmpty()) {
            json.name("Gateway").value(entry.gateway());
        }
        if (!entry.auxiliary().isEmpty()) {
            json.name("AuxiliaryAddresses").stringMap(entry.auxiliary());
        }
        json.endObject();
    }
}
