package dev.berth.cli.template;

import dev.berth.cli.format.GoJson;

/**
 * A string, bool, number or time: something that prints as text and has no fields.
 *
 * @param kind     STRING, BOOL, NUMBER or INVALID
 * @param typeName the Go type name
 * @param text     what {@code fmt.Sprint} prints
 * @param jsonText the JSON encoding, or {@code null} to quote {@code text} as a string
 */
public record Scalar(Kind kind, String typeName, String text, String jsonText) implements TemplateValue {

    /** Go's invalid value: a missing map key, prints {@code <no value>}, encodes as {@code null}. */
    public static final Scalar NO_VALUE = new Scalar(Kind.INVALID, "<nil>", "<no value>", "null");

    /** A Go {@code string}. */
    public static Scalar string(String s) {
        return new Scalar(Kind.STRING, "string", s, null);
    }

    /** A Go {@code bool}. */
    public static Scalar bool(boolean b) {
        return new Scalar(Kind.BOOL, "bool", Boolean.toString(b), Boolean.toString(b));
    }

    /** A Go {@code int}. */
    public static Scalar integer(long n) {
        return new Scalar(Kind.NUMBER, "int", Long.toString(n), Long.toString(n));
    }

    /** A number kept as its literal text, like {@code json.Number}. */
    public static Scalar number(String literal) {
        return new Scalar(Kind.NUMBER, "json.Number", literal, literal);
    }

    @Override
    public String print() {
        return text;
    }

    @Override
    public String json(boolean escapeHtml) {
        return jsonText != null ? jsonText : GoJson.quote(text, escapeHtml);
    }

    @Override
    public int length() {
        if (kind == Kind.STRING) {
            return TemplateValue.super.length();
        }
        throw new TemplateException("len of type " + typeName);
    }
}
