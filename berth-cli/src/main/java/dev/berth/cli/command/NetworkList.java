package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.types.NetworkResource;
import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import dev.berth.cli.format.NaturalOrder;
import dev.berth.cli.template.GoType;
import dev.berth.cli.template.RecordTypes;
import dev.berth.cli.template.Typed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code berth network ls}: {@code GET /networks}, sorted by name, printed like docker. */
public final class NetworkList extends LeafCommand {

    static final String DEFAULT_TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
    static final String RAW = "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n";
    static final String QUIET_RAW = "network_id: {{.ID}}";

    /**
     * The Go type the docker CLI decodes a network into ({@code network.Inspect}, also for list
     * entries), so templates see Go field names ({@code .ID}, {@code .IPAM.Config},
     * {@code .AuxAddress}) and {@code {{json .}}} re-encodes in Go's struct order. Read from the
     * record on first use (its annotations cost ~13 ms of reflection: {@code berth} warms it up
     * beside the main thread), not when the command list is built.
     */
    public static GoType networkType() {
        return NetworkType.VALUE;
    }

    private static final class NetworkType {
        static final GoType VALUE = RecordTypes.struct(NetworkResource.class);
    }

    private static final FilterFlag FILTER = new FilterFlag('f', "Provide filter values (e.g. \"driver=bridge\")");

    public NetworkList() {
        super("ls", "List networks", Usage.optionsOnly(), "list");
    }

    @Override
    protected Flags flags() {
        return FILTER.addTo(new Flags())
                .string("format", '\0', "string", """
                        Format output using a custom template:
                        'table':            Print output in table format with column headers (default)
                        'table TEMPLATE':   Print output in table format using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.""")
                .bool("no-trunc", '\0', "Do not truncate the output")
                .bool("quiet", 'q', "Only display network IDs");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        JsonNode networks = invocation.engine().getJson("/networks", FILTER.query(options, invocation.path()));
        List<NetworkRow> rows = new ArrayList<>();
        for (JsonNode network : networks) {
            try {
                Typed.decode(networkType(), network, invocation.localZone());
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage(), 1);
            }
            rows.add(NetworkRow.of(network, !options.bool("no-trunc"), invocation.localZone()));
        }
        rows.sort(Comparator.comparing(NetworkRow::name, NaturalOrder.INSTANCE));
        String source = options.string("format", "");
        String format = ListFormat.expand(source.isEmpty() ? "table" : source, options.bool("quiet"),
                DEFAULT_TABLE, RAW, QUIET_RAW);
        invocation.out().print(new ListFormat(format, NetworkRow.HEADERS).render(rows));
        return 0;
    }
}
