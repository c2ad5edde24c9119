package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import dev.berth.cli.format.JsonText;
import dev.berth.cli.format.JsonTree;
import dev.berth.cli.http.ConnectionFailure;
import dev.berth.cli.http.DaemonError;
import dev.berth.cli.http.EngineClient;
import dev.berth.cli.template.Functions;
import dev.berth.cli.template.RawJson;
import dev.berth.cli.template.Template;
import dev.berth.cli.template.TemplateException;
import dev.berth.cli.template.Typed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code berth network inspect}: one {@code GET /networks/{name}} per argument. Without a
 * format the daemon's raw JSON objects are printed in an array, re-indented like Go's
 * {@code json.Indent} (so key order and escapes are the daemon's); {@code json} prints them
 * compact on one line; any other format is a template run over the decoded Go struct, falling
 * back to the raw JSON map when the struct has no such field (as docker does). A failing name
 * does not stop the others: what was found is printed, the errors go to stderr, exit status 1.
 */
public final class NetworkInspect extends LeafCommand {

    public NetworkInspect() {
        super("inspect", "Display detailed information on one or more networks",
                Usage.atLeast(1, "[OPTIONS] NETWORK [NETWORK...]"));
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .string("format", 'f', "string", """
                        Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.""")
                .bool("verbose", 'v', "Verbose output for diagnostics");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        String format = options.string("format", "");
        Template template = format.isEmpty() || format.equals("json") ? null : parse(format);
        Map<String, List<String>> query = options.bool("verbose") ? Map.of("verbose", List.of("true")) : Map.of();
        List<String> raws = new ArrayList<>();
        StringBuilder rendered = new StringBuilder();
        List<String> errors = new ArrayList<>();
        for (String name : options.positional()) {
            try {
                String raw = fetch(invocation, name, query);
                JsonNode node = JsonTree.read(raw);
                Typed typed = Typed.decode(NetworkList.networkType(), node, invocation.localZone());
                if (template == null) {
                    raws.add(raw);
                } else {
                    rendered.append(render(template, typed, node)).append('\n');
                }
            } catch (DaemonError | ConnectionFailure | TemplateException | IllegalArgumentException e) {
                errors.add(e.getMessage());
            } catch (IOException e) {
                errors.add("invalid character in network " + name + ": " + e.getMessage());
            }
        }
        invocation.out().print(output(format, template, raws, rendered));
        if (!errors.isEmpty()) {
            throw new CommandFailure(String.join("\n", errors), 1);
        }
        return 0;
    }

    private static Template parse(String format) {
        try {
            return Template.parse(format, Functions.basic());
        } catch (TemplateException e) {
            throw new CommandFailure("template parsing error: " + e.getMessage(), 64);
        }
    }

    private static String fetch(Invocation invocation, String name, Map<String, List<String>> query) {
        EngineClient engine = invocation.engine();
        byte[] body = engine.get("/networks/" + PathSegment.escape(name), query);
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Executes over the Go struct; if that fails, over the raw JSON map with strict keys. */
    private static String render(Template template, Typed typed, JsonNode raw) {
        Functions functions = Functions.basic();
        try {
            return template.execute(typed, functions);
        } catch (TemplateException typedFailure) {
            try {
                return template.execute(RawJson.of(raw), functions);
            } catch (TemplateException e) {
                throw new TemplateException("template parsing error: " + e.getMessage());
            }
        }
    }

    private static String output(String format, Template template, List<String> raws, StringBuilder rendered) {
        if (template != null) {
            return rendered.isEmpty() ? "\n" : rendered.toString();
        }
        if (raws.isEmpty()) {
            return "[]\n";
        }
        if (format.equals("json")) {
            List<String> compact = raws.stream().map(JsonText::compact).toList();
            return "[" + String.join(",", compact) + "]\n";
        }
        return JsonText.indent("[" + String.join(",", raws) + "]", "", "    ") + "\n";
    }
}
