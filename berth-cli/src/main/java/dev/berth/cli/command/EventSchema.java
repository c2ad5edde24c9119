package dev.berth.cli.command;

import static dev.berth.cli.template.GoType.INT;
import static dev.berth.cli.template.GoType.STRING;

import dev.berth.cli.template.GoType.Field;
import dev.berth.cli.template.GoType.MapOf;
import dev.berth.cli.template.GoType.Str;
import dev.berth.cli.template.GoType.Struct;
import java.util.List;

/**
 * The Go type the docker CLI decodes an event into ({@code events.Message}), so templates see
 * {@code .Type .Action .Actor.ID .Actor.Attributes .Scope .Time .TimeNano} and {@code {{json .}}}
 * re-encodes with lower-case {@code scope/time/timeNano}, omitting the empty ones.
 */
final class EventSchema {

    static final Struct ACTOR = new Struct("events.Actor", List.of(
            Field.of("ID", STRING), Field.of("Attributes", new MapOf(STRING))));

    /** Named as a pointer: docker validates and executes templates over {@code *events.Message}. */
    static final Struct MESSAGE = new Struct("*events.Message", List.of(
            new Field("Status", "status", STRING, true),
            new Field("ID", "id", STRING, true),
            new Field("From", "from", STRING, true),
            Field.of("Type", new Str("events.Type")),
            Field.of("Action", new Str("events.Action")),
            Field.of("Actor", ACTOR),
            new Field("Scope", "scope", STRING, true),
            new Field("Time", "time", INT, true),
            new Field("TimeNano", "timeNano", INT, true)));

    private EventSchema() {
    }
}
