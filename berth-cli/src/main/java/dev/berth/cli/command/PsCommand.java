package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.format.HumanDuration;
import dev.berth.cli.format.TabWriter;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code berth ps [-a] [-q]}: {@code GET /containers/json[?all=1]} as docker's table (CONTAINER ID,
 * IMAGE, COMMAND, CREATED, STATUS, PORTS, NAMES) or, with {@code -q}, the short ids only.
 */
public final class PsCommand extends LeafCommand {
    static final String HEADER = "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES";

    public PsCommand() {
        super("ps", "List sandboxes", Usage.optionsOnly());
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .bool("all", 'a', "Show all sandboxes (default shows just running)")
                .bool("quiet", 'q', "Only display sandbox IDs");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        JsonNode list = invocation.engine().getJson("/containers/json",
                options.bool("all") ? Map.of("all", List.of("1")) : Map.of());
        List<JsonNode> rows = new ArrayList<>();
        list.forEach(rows::add);
        invocation.out().print(options.bool("quiet") ? ids(rows) : table(rows, Instant.now()));
        return 0;
    }

    static String ids(List<JsonNode> rows) {
        StringBuilder out = new StringBuilder();
        rows.forEach(r -> out.append(shortId(r.path("Id").asText())).append('\n'));
        return out.toString();
    }

    /** The table as docker prints it, {@code now} for the CREATED column. */
    static String table(List<JsonNode> rows, Instant now) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (JsonNode r : rows) {
            List<String> names = new ArrayList<>();
            r.path("Names").forEach(n -> names.add(n.asText().startsWith("/") ? n.asText().substring(1) : n.asText()));
            text.append(shortId(r.path("Id").asText())).append('\t')
                    .append(r.path("Image").asText()).append('\t')
                    .append('"').append(ellipsis(r.path("Command").asText(), 20)).append('"').append('\t')
                    .append(HumanDuration.of(Duration.between(Instant.ofEpochSecond(r.path("Created").asLong()), now)))
                    .append(" ago\t")
                    .append(r.path("Status").asText()).append('\t')
                    .append(ports(r.path("Ports"))).append('\t')
                    .append(String.join(",", names)).append('\n');
        }
        return TabWriter.dockerTable().format(text.toString());
    }

    private static String ports(JsonNode ports) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : ports) {
            String ctr = p.path("PrivatePort").asText() + "/" + p.path("Type").asText("tcp");
            out.add(p.has("PublicPort") ? p.path("IP").asText("") + ":" + p.path("PublicPort").asText() + "->" + ctr
                    : ctr);
        }
        return String.join(", ", out);
    }

    private static String shortId(String id) {
        return id.substring(0, Math.min(12, id.length()));
    }

    /** Docker's {@code formatter.Ellipsis}: at most {@code max} characters, the last one an ellipsis. */
    static String ellipsis(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
