package dev.berth.cli.template;

import java.util.List;

/**
 * A small description of a Go type, enough to view decoded JSON the way a Go program sees the
 * struct it decoded into: zero values for missing fields, Go field names, {@code fmt} printing
 * and {@code json} re-encoding in struct order.
 */
public sealed interface GoType {

    /** The type name shown in error messages. */
    String name();

    /**
     * {@code string}, or a named string type such as {@code events.Action}, which Go's template
     * functions taking a {@code string} refuse.
     *
     * @param name the type name
     */
    record Str(String name) implements GoType {
    }

    /** {@code bool}. */
    record Bool() implements GoType {
        @Override
        public String name() {
            return "bool";
        }
    }

    /** {@code int}. */
    record Int() implements GoType {
        @Override
        public String name() {
            return "int";
        }
    }

    /** {@code time.Time}, encoded as RFC 3339 text. */
    record Time() implements GoType {
        @Override
        public String name() {
            return "time.Time";
        }
    }

    /**
     * {@code map[string]E}.
     *
     * @param element the value type
     */
    record MapOf(GoType element) implements GoType {
        @Override
        public String name() {
            return "map[string]" + element.name();
        }
    }

    /**
     * {@code []E}.
     *
     * @param element the element type
     */
    record SliceOf(GoType element) implements GoType {
        @Override
        public String name() {
            return "[]" + element.name();
        }
    }

    /**
     * A struct.
     *
     * @param name   qualified Go name, e.g. {@code network.Inspect}
     * @param fields the fields in declaration order
     */
    record Struct(String name, List<Field> fields) implements GoType {

        /** An immutable copy of {@code fields}. */
        public Struct {
            fields = List.copyOf(fields);
        }
    }

    /**
     * One struct field.
     *
     * @param goName    the Go field name, what templates use
     * @param jsonName  the JSON key
     * @param type      the field type
     * @param omitEmpty whether {@code json:",omitempty"} is set
     */
    record Field(String goName, String jsonName, GoType type, boolean omitEmpty) {

        /** A field whose JSON key is its Go name, without omitempty. */
        public static Field of(String goName, GoType type) {
            return new Field(goName, goName, type, false);
        }
    }

    /** The shared string type. */
    GoType STRING = new Str("string");
    /** The shared bool type. */
    GoType BOOL = new Bool();
    /** The shared int type. */
    GoType INT = new Int();
    /** The shared time type. */
    GoType TIME = new Time();
}
