package dev.berth.cli.template;

import java.util.List;

/**
 * What a template sees as data: the few operations Go's {@code text/template} performs on a
 * reflected value. Implementations mimic one Go type each, so printing ({@code fmt.Sprint}) and
 * {@code json} encoding come out as the docker CLI's would.
 */
public interface TemplateValue {

    /** The broad Go kind, enough for truth, comparison and iteration. */
    enum Kind { STRING, BOOL, NUMBER, MAP, SLICE, STRUCT, INVALID }

    /** One key/value pair of a {@code range}: index or map key, and element. */
    record Entry(TemplateValue key, TemplateValue value) {
    }

    /** The value's kind. */
    Kind kind();

    /** The Go type name used in error messages, e.g. {@code string} or {@code network.Inspect}. */
    String typeName();

    /**
     * {@code .name} with optional method arguments ({@code .Label "k"}).
     *
     * @throws TemplateException when the value has no such field or method
     */
    default TemplateValue field(String name, List<TemplateValue> args) {
        throw new TemplateException("can't evaluate field " + name + " in type " + typeName());
    }

    /** {@code fmt.Sprint(v)}. */
    String print();

    /** {@code encoding/json} output of the value, compact. */
    String json(boolean escapeHtml);

    /** Go template truth: non-zero, non-empty. */
    default boolean truth() {
        return switch (kind()) {
            case STRING, MAP, SLICE -> length() > 0;
            case BOOL -> print().equals("true");
            case NUMBER -> !print().matches("-?0*(\\.0*)?");
            case STRUCT -> true;
            case INVALID -> false;
        };
    }

    /** Length for {@code len}: string length in bytes, element count of maps and slices. */
    default int length() {
        if (kind() == Kind.STRING) {
            return print().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        throw new TemplateException("len of type " + typeName());
    }

    /** Elements for {@code range}: slice elements in order, map entries in sorted key order. */
    default List<Entry> entries() {
        throw new TemplateException("range can't iterate over " + print());
    }

    /** {@code index v key}: a map key or a slice index. */
    default TemplateValue index(TemplateValue key) {
        throw new TemplateException("can't index item of type " + typeName());
    }
}
