package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ResponseStream;
import dev.berth.cli.format.GoTimestamp;
import dev.berth.cli.format.JsonTree;
import dev.berth.cli.http.ConnectionFailure;
import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import dev.berth.cli.template.Functions;
import dev.berth.cli.template.Template;
import dev.berth.cli.template.TemplateException;
import dev.berth.cli.template.Typed;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code berth events} (also {@code berth system events}): {@code GET /events} held open, each
 * event printed and flushed as it arrives, until the daemon ends the stream ({@code --until} in
 * the past) or the user presses Ctrl-C. {@code --since/--until} are converted like docker
 * ({@link GoTimestamp}); {@code --format} is a template over {@code events.Message}, checked
 * once on an empty message before anything is sent (exit 64 when it fails).
 */
public final class EventsCommand extends LeafCommand {

    private static final FilterFlag FILTER = new FilterFlag('f', "Filter output based on conditions provided");

    public EventsCommand() {
        super("events", "Get real time events from the server", Usage.optionsOnly());
    }

    @Override
    protected Flags flags() {
        return FILTER.addTo(new Flags())
                .string("format", '\0', "string", """
                        Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.""")
                .string("since", '\0', "string", "Show all events created since timestamp")
                .string("until", '\0', "string", "Stream events until this timestamp");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        Template template = template(options.string("format", ""), invocation);
        Map<String, List<String>> query = new TreeMap<>(FILTER.query(options, invocation.path()));
        Instant now = Instant.now();
        for (String bound : List.of("since", "until")) {
            String value = options.string(bound, "");
            if (!value.isEmpty()) {
                query.put(bound, List.of(GoTimestamp.convert(value, now, invocation.zone())));
            }
        }
        try (ResponseStream stream = invocation.engine().stream("/events", query)) {
            for (String line = stream.readLine(); line != null; line = stream.readLine()) {
                if (!line.isBlank()) {
                    print(invocation, template, JsonTree.read(line));
                }
            }
        } catch (IOException e) {
            throw new ConnectionFailure("error reading events: " + e.getMessage(), e);
        }
        return 0;
    }

    private static void print(Invocation invocation, Template template, JsonNode event) {
        if (template == null) {
            invocation.out().print(EventLine.render(event, invocation.zone()));
        } else {
            Typed message = decode(event, invocation);
            Template.Result result = template.executePartially(message, Functions.basic());
            invocation.out().print(result.output() + "\n");
            if (result.error() != null) {
                invocation.out().flush();
                throw new CommandFailure(result.error().getMessage(), 1);
            }
        }
        invocation.out().flush();
    }

    private static Typed decode(JsonNode event, Invocation invocation) {
        try {
            return Typed.decode(EventSchema.MESSAGE, event, invocation.localZone());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage(), 1);
        }
    }

    /** docker's {@code makeTemplate}: {@code json} means {@code {{json .}}}; checked on an empty message. */
    private static Template template(String format, Invocation invocation) {
        if (format.isEmpty()) {
            return null;
        }
        String source = format.equals("json") ? "{{json .}}" : format;
        try {
            Template template = Template.parse(source, Functions.basic());
            template.execute(Typed.decode(EventSchema.MESSAGE, JsonTree.object(), invocation.localZone()),
                    Functions.basic());
            return template;
        } catch (TemplateException e) {
            throw new CommandFailure("Error parsing format: " + e.getMessage(), 64);
        }
    }
}
